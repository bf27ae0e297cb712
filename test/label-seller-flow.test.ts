import {
  AcceptSignatureTermsFullDocument,
  CreateLabelQuoteDocument,
  OrderLabelStateDocument,
  PurchaseLabelFullDocument,
  RiskOrdersDocument,
  SignatureTermsFullDocument,
  VoidLabelFullDocument,
} from './generated/operations';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** Sums decimal amounts in minor units, so the check does not depend on float rounding. */
const minor = (amounts: string[]) =>
  amounts.reduce((sum, a) => sum + Math.round(Number(a) * 100), 0);

describe('the seller label flow over HTTP', () => {
  it('goes from a high-risk order to a signed-for label, refuses what it must, and refunds a void', async () => {
    const seller = server.tokens.seller[0];

    // 1. The seller lists its high-risk orders; each explains why a signature is recommended.
    const high = await server.gql(
      RiskOrdersDocument,
      { first: 50, filter: { riskLevel: 'HIGH', status: 'AWAITING_SHIPMENT' } },
      seller,
    );
    expect(high.errors).toBeUndefined();
    const highOrders = high.data!.orders.edges.map((e) => e.node);
    expect(highOrders.length).toBeGreaterThan(0);
    expect(highOrders.every((o) => o.riskAssessment?.level === 'HIGH')).toBe(true);
    const order = highOrders.find((o) =>
      o.riskAssessment?.reasons.some((r) => r.code === 'ORDER_VALUE_HIGH'),
    )!;
    expect(order.riskAssessment).toMatchObject({ recommendedSignature: 'SIGNATURE_REQUIRED' });
    expect(order.riskAssessment!.reasons[0].message).toMatch(/750\.00/);

    // 2. A quote: a rate per service, the signature fee itemized beside the postage.
    const quoted = await server.gql(
      CreateLabelQuoteDocument,
      { input: { orderId: order.id } },
      seller,
    );
    expect(quoted.data?.createLabelQuote.userErrors).toEqual([]);
    const quote = quoted.data!.createLabelQuote.quote!;
    expect(quote.recommendedSignature).toBe('SIGNATURE_REQUIRED');
    const ground = quote.rates.find((r) => r.service.code === 'USPS_GROUND_ADVANTAGE')!;
    const signature = ground.options.find((o) => o.option === 'SIGNATURE_REQUIRED')!;
    expect(signature).toMatchObject({
      supported: true,
      carrierCode: '921',
      isRecommended: true,
      requiresTermsAcceptance: true,
    });
    expect(minor([signature.total.amount])).toBe(
      minor([ground.basePostage.amount, signature.fee.amount]),
    );

    // 3. Buying a signature before agreeing to the terms fails, carrying the fee.
    const early = await server.gql(
      PurchaseLabelFullDocument,
      {
        input: {
          quoteId: quote.id,
          rateId: ground.id,
          signatureOption: 'SIGNATURE_REQUIRED',
          idempotencyKey: 'flow-early',
        },
      },
      seller,
    );
    expect(early.data?.purchaseLabel.label).toBeNull();
    const termsError = early.data!.purchaseLabel.userErrors[0];
    expect(termsError).toMatchObject({
      code: 'SIGNATURE_TERMS_NOT_ACCEPTED',
      fee: { amount: signature.fee.amount, currencyCode: 'USD' },
    });

    // 4. The seller reads and accepts the terms.
    const terms = await server.gql(SignatureTermsFullDocument, {}, seller);
    expect(terms.data?.signatureTerms?.acceptedAt).toBeNull();
    expect(terms.data?.signatureTerms?.version).toBe(termsError.termsVersion);
    const accepted = await server.gql(
      AcceptSignatureTermsFullDocument,
      { input: { version: terms.data!.signatureTerms!.version } },
      seller,
    );
    expect(accepted.data?.acceptSignatureTerms.userErrors).toEqual([]);
    expect(accepted.data?.acceptSignatureTerms.signatureTerms?.acceptedAt).toEqual(
      expect.any(String),
    );

    // 5. Now the purchase goes through.
    const bought = await server.gql(
      PurchaseLabelFullDocument,
      {
        input: {
          quoteId: quote.id,
          rateId: ground.id,
          signatureOption: 'SIGNATURE_REQUIRED',
          idempotencyKey: 'flow-buy',
        },
      },
      seller,
    );
    expect(bought.data?.purchaseLabel.userErrors).toEqual([]);
    const label = bought.data!.purchaseLabel.label!;
    expect(label).toMatchObject({
      signatureOption: 'SIGNATURE_REQUIRED',
      signatureCarrierCode: '921',
      status: 'PURCHASED',
      signatureFee: { amount: signature.fee.amount },
      total: { amount: signature.total.amount },
    });
    expect(label.trackingNumber).toMatch(/^9400\d{18}$/);
    expect(label.charges.map((c) => c.kind)).toEqual(['POSTAGE', 'SIGNATURE_FEE']);

    // 6. The order shows the label and a shipment in LABEL_CREATED with "Signature Required".
    const state = await server.gql(OrderLabelStateDocument, { id: order.id }, seller);
    expect(state.data?.order).toMatchObject({
      status: 'LABEL_PURCHASED',
      label: { id: label.id, trackingNumber: label.trackingNumber },
      shipment: {
        status: 'LABEL_CREATED',
        trackingNumber: label.trackingNumber,
        signatureRequirement: 'SIGNATURE_REQUIRED',
        signatureRequirementText: 'Signature Required',
        events: [{ status: 'LABEL_CREATED' }],
      },
    });

    // 7. An option another service of the quote cannot carry is refused, naming those that can.
    const saver = quote.rates.find((r) => r.service.code === 'UPS_GROUND_SAVER')!;
    const refused = await server.gql(
      PurchaseLabelFullDocument,
      {
        input: {
          quoteId: quote.id,
          rateId: saver.id,
          signatureOption: 'SIGNATURE_REQUIRED',
          idempotencyKey: 'flow-saver',
        },
      },
      seller,
    );
    const unsupported = refused.data!.purchaseLabel.userErrors[0];
    expect(unsupported.code).toBe('SIGNATURE_NOT_SUPPORTED');
    const alternatives = unsupported.alternatives!;
    expect(alternatives.length).toBeGreaterThan(1);
    expect(alternatives.map((a) => a.service.code)).not.toContain('UPS_GROUND_SAVER');
    const totals = alternatives.map((a) =>
      minor([a.options.find((o) => o.option === 'SIGNATURE_REQUIRED')!.total.amount]),
    );
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(unsupported.message).toContain(alternatives[0].service.code);

    // 8. Voiding before the first scan refunds every charge and cancels the shipment.
    const voided = await server.gql(
      VoidLabelFullDocument,
      { input: { labelId: label.id } },
      seller,
    );
    expect(voided.data?.voidLabel.userErrors).toEqual([]);
    const after = voided.data!.voidLabel;
    expect(after.label?.status).toBe('VOIDED');
    expect(after.order?.status).toBe('AWAITING_SHIPMENT');
    expect(after.shipment?.status).toBe('CANCELLED');
    const charges = after.label!.charges;
    expect(charges.map((c) => c.kind)).toEqual(['POSTAGE', 'SIGNATURE_FEE', 'REFUND', 'REFUND']);
    expect(minor(charges.map((c) => c.amount.amount))).toBe(0);
    const again = await server.gql(OrderLabelStateDocument, { id: order.id }, seller);
    expect(again.data?.order?.label).toBeNull();
  });
});
