import { SellerSignatureSummaryDocument, VoidLabelFullDocument } from './generated/operations';
import type { SignatureOption } from './generated/operations';
import { buyLabel, pickOrder } from './support/labels';
import { acceptCurrentTerms } from './support/seller-flow';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;
let seller: string;

beforeAll(async () => {
  server = await startTestServer();
  seller = server.tokens.seller[0];
  await acceptCurrentTerms(server, seller);
});
afterAll(() => server.stop());

const hour = 3_600_000;
const period = () => ({
  from: new Date(Date.now() - hour).toISOString(),
  to: new Date(Date.now() + hour).toISOString(),
});
const summary = (vars: { from: string; to: string }, token = seller) =>
  server.gql(SellerSignatureSummaryDocument, vars, token);

async function buyFor(
  level: 'HIGH' | 'LOW',
  index: number,
  option: SignatureOption,
): Promise<{ labelId: string; feeCents: number }> {
  const filter = { status: 'AWAITING_SHIPMENT', riskLevel: level } as const;
  const order = await pickOrder(server, seller, { filter, index });
  const { label } = await buyLabel(server, seller, {
    orderId: order.id,
    service: 'USPS_GROUND_ADVANTAGE',
    signatureOption: option,
    idempotencyKey: `summary-${level}-${order.id}`,
  });
  return { labelId: label.id, feeCents: Math.round(Number(label.signatureFee.amount) * 100) };
}

describe('sellerSignatureSummary', () => {
  it('is empty, with no coverage figure, before any label', async () => {
    const res = await summary(period());
    expect(res.data?.sellerSignatureSummary).toMatchObject({
      labelsPurchased: 0,
      highRiskOrdersLabeled: 0,
      signatureCoverage: null,
      feesSpent: { amount: '0.00', currencyCode: 'USD' },
    });
  });

  it('counts high-risk coverage, declined recommendations and fees net of refunds, in constant SQL', async () => {
    const before = await server.sql.measure(() => summary(period()));
    // HIGH orders are listed newest first; each purchase takes the first one still awaiting.
    const signed = await buyFor('HIGH', 0, 'SIGNATURE_REQUIRED');
    await buyFor('HIGH', 0, 'NONE');
    await buyFor('LOW', 0, 'NONE');
    const voided = await buyFor('HIGH', 0, 'SIGNATURE_REQUIRED');
    const voiding = await server.gql(
      VoidLabelFullDocument,
      { input: { labelId: voided.labelId } },
      seller,
    );
    expect(voiding.data?.voidLabel.userErrors).toEqual([]);

    const after = await server.sql.measure(() => summary(period()));
    const s = after.result.data!.sellerSignatureSummary;
    expect(s).toMatchObject({
      labelsPurchased: 3,
      highRiskOrdersLabeled: 2,
      highRiskOrdersWithSignature: 1,
      signatureCoverage: 0.5,
      recommendationsMade: 2,
      recommendationsAccepted: 1,
      recommendationsDeclined: 1,
      recommendationsChanged: 0,
    });
    expect(Math.round(Number(s.feesSpent.amount) * 100)).toBe(signed.feeCents);
    expect(s.byOption).toEqual([
      { option: 'NONE', labels: 2, fees: { amount: '0.00' } },
      {
        option: 'SIGNATURE_REQUIRED',
        labels: 1,
        fees: { amount: (signed.feeCents / 100).toFixed(2) },
      },
      { option: 'ADULT_SIGNATURE_REQUIRED', labels: 0, fees: { amount: '0.00' } },
    ]);
    expect(after.statements).toBe(before.statements);
  });

  it('leaves out labels bought outside the period', async () => {
    const res = await summary({
      from: new Date(Date.now() - 48 * hour).toISOString(),
      to: new Date(Date.now() - 24 * hour).toISOString(),
    });
    expect(res.data?.sellerSignatureSummary.labelsPurchased).toBe(0);
  });

  it('shows another seller only their own figures', async () => {
    const res = await summary(period(), server.tokens.seller[1]);
    expect(res.data?.sellerSignatureSummary.labelsPurchased).toBe(0);
  });

  it('refuses a period that ends before it starts, and non-sellers', async () => {
    const { from, to } = period();
    const backwards = await summary({ from: to, to: from });
    expect(backwards.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const admin = await summary(period(), server.tokens.admin);
    expect(admin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
