import { Address, Order, Shipment, SignatureTerms } from '../src/entities';
import { ShipmentStatus } from '../src/entities/enums';
import { fromGlobalId } from '../src/core/global-id';
import {
  AcceptSignatureTermsFullDocument,
  PurchaseLabelFullDocument,
  QuoteNodeDocument,
  SignatureTermsFullDocument,
  VoidLabelFullDocument,
} from './generated/operations';
import type { OrderFilter, ParcelInput } from './generated/operations';
import { buyLabel, pickOrder, quoteOrder, requestQuote } from './support/labels';
import type { Quote } from './support/labels';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const cents = (amount: string) => Math.round(Number(amount) * 100);

const taken = new Set<string>();
const orderOf = (token: string, filter?: OrderFilter) =>
  pickOrder(server, token, { filter, taken });
const quote = (orderId: string, token: string, parcel?: ParcelInput) =>
  requestQuote(server, token, orderId, parcel);
const quoted = (orderId: string, token: string): Promise<Quote> =>
  quoteOrder(server, token, orderId);

describe('createLabelQuote', () => {
  it('quotes every domestic service with each signature option itemized and the recommendation marked', async () => {
    const seller = server.tokens.seller[0];
    const order = await orderOf(seller, { status: 'AWAITING_SHIPMENT', riskLevel: 'HIGH' });
    const q = await quoted(order.id, seller);
    expect(q.recommendedSignature).toBe(order.riskAssessment!.recommendedSignature);
    const lockMs = new Date(q.expiresAt).getTime() - Date.now();
    expect(lockMs).toBeGreaterThan(14 * 60_000);
    expect(lockMs).toBeLessThanOrEqual(15 * 60_000);
    expect(q.rates.map((r) => r.service.code)).toEqual([
      'USPS_GROUND_ADVANTAGE',
      'USPS_PRIORITY_MAIL',
      'USPS_PRIORITY_MAIL_EXPRESS',
      'USPS_MEDIA_MAIL',
      'UPS_GROUND',
      'UPS_GROUND_SAVER',
      'UPS_2ND_DAY_AIR',
      'UPS_NEXT_DAY_AIR',
    ]);
    expect(new Set(q.rates.map((r) => r.id)).size).toBe(q.rates.length);
    for (const rate of q.rates) {
      expect(rate.options.map((o) => o.option)).toEqual([
        'NONE',
        'SIGNATURE_REQUIRED',
        'ADULT_SIGNATURE_REQUIRED',
      ]);
      for (const o of rate.options) {
        expect(cents(o.total.amount)).toBe(cents(rate.basePostage.amount) + cents(o.fee.amount));
        // Only on an option that can be bought (Media Mail may not carry electronics).
        expect(o.isRecommended).toBe(
          o.option === q.recommendedSignature && o.supported && rate.eligible,
        );
        expect(o.requiresTermsAcceptance).toBe(o.option !== 'NONE');
        if (!o.supported) {
          expect(o.unavailableReason).toEqual(expect.any(String));
          expect(o.carrierCode).toBeNull();
        }
      }
    }
    const none = q.rates[0].options[0];
    expect(none.fee.amount).toBe('0.00');
    const upsAdult = q.rates.find((r) => r.service.code === 'UPS_GROUND')!.options[2];
    expect(upsAdult).toMatchObject({
      supported: true,
      carrierCode: 'DCIS:3',
      fee: { amount: '8.65' },
    });
    const saver = q.rates.find((r) => r.service.code === 'UPS_GROUND_SAVER')!.options[1];
    expect(saver.supported).toBe(false);
  });

  it('prices a heavier parcel higher, and refuses a parcel out of range naming the field', async () => {
    const seller = server.tokens.seller[0];
    const order = await orderOf(seller);
    const light = await quoted(order.id, seller);
    const heavy = await quote(order.id, seller, {
      weightOz: 640,
      lengthIn: 12,
      widthIn: 9,
      heightIn: 6,
    });
    const heavyQuote = heavy.data!.createLabelQuote.quote!;
    expect(heavyQuote.parcel.weightOz).toBe(640);
    expect(cents(heavyQuote.rates[0].basePostage.amount)).toBeGreaterThan(
      cents(light.rates[0].basePostage.amount),
    );
    const bad = await quote(order.id, seller, {
      weightOz: 0,
      lengthIn: 12,
      widthIn: 9,
      heightIn: 200,
    });
    expect(bad.data?.createLabelQuote.quote).toBeNull();
    expect(bad.data?.createLabelQuote.userErrors.map((e) => e.field)).toEqual([
      ['input', 'parcel', 'weightOz'],
      ['input', 'parcel', 'heightIn'],
    ]);
  });

  it('offers only international services, without signature, for a ship-to abroad', async () => {
    const seller = server.tokens.seller[2];
    const order = await orderOf(seller);
    const row = await server.db.manager.findOneByOrFail(Order, {
      id: fromGlobalId(order.id, 'Order'),
    });
    await server.db.manager.update(
      Address,
      { id: row.shipToAddressId },
      { country: 'CA', postalCode: 'M5V2T6', region: 'ON' },
    );
    const q = await quoted(order.id, seller);
    expect(q.rates.map((r) => r.service.code)).toEqual(['USPS_PRIORITY_MAIL_INTERNATIONAL']);
    expect(q.rates[0].options.filter((o) => o.supported).map((o) => o.option)).toEqual(['NONE']);
  });

  it('reads another seller’s order as not found, refuses a cancelled order, and is for sellers only', async () => {
    const theirs = await orderOf(server.tokens.seller[1]);
    const foreign = await quote(theirs.id, server.tokens.seller[0]);
    expect(foreign.data?.createLabelQuote.userErrors[0]).toMatchObject({
      code: 'ORDER_NOT_FOUND',
      field: ['input', 'orderId'],
    });
    const cancelled = await orderOf(server.tokens.seller[0], { status: 'CANCELLED' });
    const refused = await quote(cancelled.id, server.tokens.seller[0]);
    expect(refused.data?.createLabelQuote.userErrors[0]?.code).toBe('ORDER_NOT_SHIPPABLE');
    const buyer = await quote(theirs.id, server.tokens.buyer[0]);
    expect(buyer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const malformed = await quote('not-an-id', server.tokens.seller[0]);
    expect(malformed.data?.createLabelQuote.userErrors[0]?.code).toBe('INVALID_ID');
  });

  it('refuses an order in a currency the catalog does not price in, with CURRENCY_NOT_SUPPORTED', async () => {
    const seller = server.tokens.seller[0];
    const order = await orderOf(seller, { status: 'AWAITING_SHIPMENT', riskLevel: 'LOW' });
    await server.db.manager.update(
      Order,
      { id: fromGlobalId(order.id, 'Order') },
      { currency: 'EUR' },
    );
    const res = await quote(order.id, seller);
    expect(res.data?.createLabelQuote.quote).toBeNull();
    expect(res.data?.createLabelQuote.userErrors).toEqual([
      expect.objectContaining({ code: 'CURRENCY_NOT_SUPPORTED', field: ['input', 'orderId'] }),
    ]);
    expect(res.data!.createLabelQuote.userErrors[0].message).toMatch(/EUR.*USD/);
  });

  it('reads the carrier catalog once per process, not on every quote', async () => {
    const seller = server.tokens.seller[0];
    await quoted((await orderOf(seller)).id, seller);
    const order = await orderOf(seller);
    server.sql.record = true;
    const from = server.sql.recorded.length;
    try {
      const { statements } = await server.sql.measure(() => quoted(order.id, seller));
      const sent = server.sql.recorded.slice(from);
      // The quote's own statements, counted by the behaviour and not by the recorder: the token,
      // the order, its seller, ship-to, current assessment, current terms and their acceptance,
      // its line items (which services may carry them), the claim history of its risk level
      // (the expected value's claim probability), then BEGIN, the quote insert and COMMIT, and
      // the order again for the payload. A catalog read per quote would add to it.
      expect(statements).toBe(13);
      expect(sent.filter((q) => /^INSERT INTO ("[^"]+"\.)?"label_quotes"/.test(q))).toHaveLength(1);
      expect(sent.filter((q) => /carrier_services|service_signature_options/.test(q))).toEqual([]);
    } finally {
      server.sql.record = false;
    }
  });

  it('can be fetched again by node(id), by its seller only', async () => {
    const seller = server.tokens.seller[0];
    const order = await orderOf(seller);
    const q = await quoted(order.id, seller);
    const own = await server.gql(QuoteNodeDocument, { id: q.id }, seller);
    expect(own.data?.node).toMatchObject({ __typename: 'LabelQuote', expiresAt: q.expiresAt });
    const other = await server.gql(QuoteNodeDocument, { id: q.id }, server.tokens.seller[1]);
    expect(other.data?.node).toBeNull();
  });
});

describe('signature terms', () => {
  it('show the version, text and fee schedule, and record who accepted when', async () => {
    const seller = server.tokens.seller[1];
    const before = await server.gql(SignatureTermsFullDocument, {}, seller);
    const terms = before.data!.signatureTerms!;
    expect(terms.acceptedAt).toBeNull();
    expect(terms.text).toMatch(/Signature Required/);
    const fee = (code: string, option: string) =>
      terms.fees.find((f) => f.service.code === code && f.option === option);
    expect(fee('USPS_GROUND_ADVANTAGE', 'SIGNATURE_REQUIRED')).toMatchObject({
      carrierCode: '921',
      fee: { amount: '3.95', currencyCode: 'USD' },
    });
    expect(fee('UPS_GROUND', 'SIGNATURE_REQUIRED')?.fee.amount).toBe('7.70');
    expect(fee('UPS_GROUND_SAVER', 'SIGNATURE_REQUIRED')).toBeUndefined();
    expect(terms.fees.some((f) => f.option === 'NONE')).toBe(false);

    const accepted = await server.gql(
      AcceptSignatureTermsFullDocument,
      { input: { version: terms.version } },
      seller,
    );
    const at = accepted.data!.acceptSignatureTerms.signatureTerms!.acceptedAt;
    expect(at).toEqual(expect.any(String));
    const again = await server.gql(
      AcceptSignatureTermsFullDocument,
      { input: { version: terms.version } },
      seller,
    );
    expect(again.data?.acceptSignatureTerms.signatureTerms?.acceptedAt).toBe(at);
    const after = await server.gql(SignatureTermsFullDocument, {}, seller);
    expect(after.data?.signatureTerms?.acceptedAt).toBe(at);
  });

  it('refuses a version that is not the current one', async () => {
    const res = await server.gql(
      AcceptSignatureTermsFullDocument,
      { input: { version: '1999-01' } },
      server.tokens.seller[2],
    );
    expect(res.data?.acceptSignatureTerms.userErrors[0]).toMatchObject({
      code: 'TERMS_VERSION_NOT_CURRENT',
      field: ['input', 'version'],
    });
  });

  it('asks again when a new version is published', async () => {
    const seller = server.tokens.seller[1];
    await server.db.manager.insert(SignatureTerms, {
      version: '2099-01',
      text: 'Signature Confirmation: terms for sellers (version 2099-01)',
      publishedAt: new Date(Date.now() - 1000),
    });
    try {
      const terms = await server.gql(SignatureTermsFullDocument, {}, seller);
      expect(terms.data?.signatureTerms).toMatchObject({ version: '2099-01', acceptedAt: null });
      const order = await orderOf(seller);
      const q = await quoted(order.id, seller);
      const rate = q.rates[0];
      expect(rate.options[1].requiresTermsAcceptance).toBe(true);
      const res = await server.gql(
        PurchaseLabelFullDocument,
        {
          input: {
            quoteId: q.id,
            rateId: rate.id,
            signatureOption: 'SIGNATURE_REQUIRED',
            idempotencyKey: 'new-terms',
          },
        },
        seller,
      );
      expect(res.data?.purchaseLabel.userErrors[0]).toMatchObject({
        code: 'SIGNATURE_TERMS_NOT_ACCEPTED',
        termsVersion: '2099-01',
        fee: { amount: rate.options[1].fee.amount },
      });
      const old = await server.gql(
        AcceptSignatureTermsFullDocument,
        { input: { version: '2026-11' } },
        seller,
      );
      expect(old.data?.acceptSignatureTerms.userErrors[0]?.code).toBe('TERMS_VERSION_NOT_CURRENT');
    } finally {
      await server.db.manager.delete(SignatureTerms, { version: '2099-01' });
    }
  });

  it('does not make terms published for a later date current before that date', async () => {
    const seller = server.tokens.seller[2];
    await server.db.manager.insert(SignatureTerms, {
      version: '2099-12',
      text: 'Signature Confirmation: terms for sellers (version 2099-12)',
      publishedAt: new Date(Date.now() + 86_400_000),
    });
    try {
      const terms = await server.gql(SignatureTermsFullDocument, {}, seller);
      expect(terms.data?.signatureTerms?.version).toBe('2026-11');
      const early = await server.gql(
        AcceptSignatureTermsFullDocument,
        { input: { version: '2099-12' } },
        seller,
      );
      expect(early.data?.acceptSignatureTerms.userErrors[0]).toMatchObject({
        code: 'TERMS_VERSION_NOT_CURRENT',
        message: expect.stringContaining('2026-11'),
      });
    } finally {
      await server.db.manager.delete(SignatureTerms, { version: '2099-12' });
    }
  });

  it('is for sellers only', async () => {
    const res = await server.gql(SignatureTermsFullDocument, {}, server.tokens.buyer[0]);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('voidLabel', () => {
  async function bought(token: string, key: string) {
    const order = await orderOf(token, { status: 'AWAITING_SHIPMENT', riskLevel: 'LOW' });
    const { label, shipment } = await buyLabel(server, token, {
      orderId: order.id,
      signatureOption: 'NONE',
      idempotencyKey: key,
    });
    return { order, label, shipment };
  }

  it('refuses once the carrier has scanned the parcel, and a label already void', async () => {
    const seller = server.tokens.seller[2];
    const scanned = await bought(seller, 'scan-1');
    await server.db.manager.update(
      Shipment,
      { id: fromGlobalId(scanned.shipment.id, 'Shipment') },
      { status: ShipmentStatus.IN_TRANSIT },
    );
    const late = await server.gql(
      VoidLabelFullDocument,
      { input: { labelId: scanned.label.id } },
      seller,
    );
    expect(late.data?.voidLabel.userErrors[0]).toMatchObject({
      code: 'LABEL_NOT_VOIDABLE',
      field: ['input', 'labelId'],
    });
    const fresh = await bought(seller, 'void-twice');
    await server.gql(VoidLabelFullDocument, { input: { labelId: fresh.label.id } }, seller);
    const twice = await server.gql(
      VoidLabelFullDocument,
      { input: { labelId: fresh.label.id } },
      seller,
    );
    expect(twice.data?.voidLabel.userErrors[0]?.code).toBe('LABEL_NOT_VOIDABLE');
  });

  it("reads another seller's label as not found, through voidLabel and node(id)", async () => {
    const { label } = await bought(server.tokens.seller[0], 'foreign-void');
    const other = server.tokens.seller[1];
    const res = await server.gql(VoidLabelFullDocument, { input: { labelId: label.id } }, other);
    expect(res.data?.voidLabel.userErrors[0]?.code).toBe('LABEL_NOT_FOUND');
    expect((await server.gql(QuoteNodeDocument, { id: label.id }, other)).data?.node).toBeNull();
    const own = await server.gql(QuoteNodeDocument, { id: label.id }, server.tokens.seller[0]);
    expect(own.data?.node).toMatchObject({
      __typename: 'Label',
      trackingNumber: label.trackingNumber,
    });
  });

  it('lets the order be labeled again after a void, with a new tracking number', async () => {
    const seller = server.tokens.seller[0];
    const first = await bought(seller, 'relabel-1');
    await server.gql(VoidLabelFullDocument, { input: { labelId: first.label.id } }, seller);
    const q = await quoted(first.order.id, seller);
    const res = await server.gql(
      PurchaseLabelFullDocument,
      {
        input: {
          quoteId: q.id,
          rateId: q.rates[1].id,
          signatureOption: 'NONE',
          idempotencyKey: 'relabel-2',
        },
      },
      seller,
    );
    const second = res.data!.purchaseLabel;
    expect(second.userErrors).toEqual([]);
    expect(second.label!.trackingNumber).not.toBe(first.label.trackingNumber);
    expect(second.order?.status).toBe('LABEL_PURCHASED');
  });
});
