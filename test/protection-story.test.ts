import {
  LabelProtectionDocument,
  OrderOfBuyerDocument,
  PlatformClaimOutcomesDocument,
  ProtectionFileClaimDocument,
  ProtectionRespondToClaimDocument,
  QuoteProtectionDocument,
  SellerClaimOutcomesDocument,
} from './generated/operations';
import { carrierEvent, postCarrierEvent } from './support/carrier';
import { buyLabel } from './support/labels';
import { pickHighValueOrder } from './support/protection';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/**
 * The unsigned half of issue 12's "Done when", over the API: a HIGH order labelled without the
 * recommended signature is delivered; the buyer files NOT_RECEIVED; it ends in a refund and no
 * protection, and the seller's summary counts a declined recommendation that cost money.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const PERIOD = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };

/** The buyer token whose holder sees the order (each buyer sees only its own). */
async function buyerTokenOf(orderId: string): Promise<string> {
  for (const token of server.tokens.buyer) {
    const res = await server.gql(OrderOfBuyerDocument, { id: orderId }, token);
    if (res.data?.order?.id === orderId) return token;
  }
  throw new Error(`no buyer sees ${orderId}`);
}

it('an unsigned HIGH order ends in a refund, no protection and a costly declined recommendation', async () => {
  const seller = server.tokens.seller[0];
  const before = await server.gql(SellerClaimOutcomesDocument, PERIOD, seller);
  expect(before.errors).toBeUndefined();
  const was = before.data!.sellerSignatureSummary;

  // The quote says a signature is recommended and that without one a claim is not protected.
  const order = await pickHighValueOrder(server, seller, new Set());
  const quoted = await server.gql(
    QuoteProtectionDocument,
    { input: { orderId: order.id } },
    seller,
  );
  expect(quoted.data?.createLabelQuote.quote?.recommendedSignature).toBe('SIGNATURE_REQUIRED');

  // The seller declines it: no signature.
  const { label } = await buyLabel(server, seller, { orderId: order.id, signatureOption: 'NONE' });
  const delivered = await postCarrierEvent(
    server,
    label.carrier,
    carrierEvent(label.trackingNumber, { status: 'DELIVERED' }),
  );
  expect(delivered.status).toBe(200);

  // The buyer says it never arrived.
  const buyer = await buyerTokenOf(order.id);
  const filed = await server.gql(
    ProtectionFileClaimDocument,
    { input: { orderId: order.id, reason: 'NOT_RECEIVED' } },
    buyer,
  );
  expect(filed.data?.fileClaim.userErrors).toEqual([]);
  const claim = filed.data!.fileClaim.claim!;
  // Nothing to defend it with: no automatic answer, the seller must act.
  expect(claim.status).toBe('AWAITING_SELLER');

  // With no proof to submit, the seller refunds the order total.
  const refunded = await server.gql(
    ProtectionRespondToClaimDocument,
    { input: { claimId: claim.id, action: 'REFUND' } },
    seller,
  );
  expect(refunded.data?.respondToClaim.userErrors).toEqual([]);
  expect(refunded.data?.respondToClaim.claim).toMatchObject({
    status: 'REFUNDED',
    outcome: 'REFUNDED',
    refund: { amount: order.totals.total.amount, currencyCode: 'USD' },
  });

  // The label says why it was never protected.
  const read = await server.gql(LabelProtectionDocument, { id: label.id }, seller);
  const node = read.data?.node;
  if (!node || !('protection' in node)) throw new Error('label not readable');
  expect(node.protection.protected).toBe(false);
  expect(node.protection.exclusions.map((e) => e.code)).toEqual(['NO_SIGNATURE_HIGH_VALUE']);

  // The summary counts the declined recommendation that became a claim, and what it cost.
  const { result, statements } = await server.sql.measure(() =>
    server.gql(SellerClaimOutcomesDocument, PERIOD, seller),
  );
  expect(result.errors).toBeUndefined();
  const now = result.data!.sellerSignatureSummary;
  expect(now.recommendationsDeclined).toBe(was.recommendationsDeclined + 1);
  expect(now.claims.onUnsignedLabels).toBe(was.claims.onUnsignedLabels + 1);
  expect(now.claims.onSignedLabels).toBe(was.claims.onSignedLabels);
  expect(now.claims.declinedRecommendations).toBe(was.claims.declinedRecommendations + 1);
  expect(now.claims.declinedRecommendationsRefunded).toBe(
    was.claims.declinedRecommendationsRefunded + 1,
  );
  const cents = (amount: string) => Math.round(Number(amount) * 100);
  expect(
    cents(now.claims.declinedRecommendationsCost.amount) -
      cents(was.claims.declinedRecommendationsCost.amount),
  ).toBe(cents(order.totals.total.amount));
  // The token lookup and three aggregate statements, however many labels and claims.
  expect(statements).toBeLessThanOrEqual(4);

  // Staff see the same across the platform; a seller may not ask for it.
  const platform = await server.gql(PlatformClaimOutcomesDocument, PERIOD, server.tokens.admin);
  expect(platform.errors).toBeUndefined();
  const all = platform.data!.platformSignatureSummary.claims;
  expect(all.declinedRecommendations).toBeGreaterThanOrEqual(now.claims.declinedRecommendations);
  expect(cents(all.declinedRecommendationsCost.amount)).toBeGreaterThanOrEqual(
    cents(now.claims.declinedRecommendationsCost.amount),
  );
  const refused = await server.gql(PlatformClaimOutcomesDocument, PERIOD, seller);
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
