import { Claim, Order } from '../src/entities';
import { Role, SignatureOption } from '../src/entities/enums';
import { devToken } from '../seeds/dev-tokens';
import {
  FileClaimDocument,
  OrdersWithClaimsDocument,
  ResolveClaimDocument,
  RespondToClaimDocument,
  SetAutoDefendClaimsDocument,
} from './generated/operations';
import type { ClaimReason } from './generated/operations';
import { carrierEvent, postCarrierEvent, pngSignature } from './support/carrier';
import { createShipment, otherBuyerToken } from './support/shipments';
import type { ShipmentFixture } from './support/shipments';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;
const DAY_MS = 86_400_000;

beforeAll(async () => {
  server = await startTestServer();
  const auto = await server.gql(SetAutoDefendClaimsDocument, { on: true }, server.tokens.seller[0]);
  expect(auto.data?.updateRiskSettings.userErrors).toEqual([]);
});
afterAll(() => server.stop());

const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

/** Posts the carrier's delivery, `msAgo` in the past, signed when `signer` is given. */
async function deliver(
  s: ShipmentFixture,
  signer: string | null,
  extra: Record<string, unknown> = {},
  msAgo = 60_000,
) {
  const signature = signer && {
    signerName: signer,
    imageDataUrl: pngSignature(signer),
    signedAt: iso(msAgo),
    location: 'Front door',
    ...extra,
  };
  const res = await postCarrierEvent(
    server,
    s.shipment.carrier,
    carrierEvent(s.trackingNumber, {
      status: 'DELIVERED',
      occurredAt: iso(msAgo),
      ...(signature ? { signature } : {}),
    }),
  );
  expect(res.status).toBe(200);
}

const file = (s: ShipmentFixture, token = s.buyerToken, reason: ClaimReason = 'NOT_RECEIVED') =>
  server.gql(FileClaimDocument, { input: { orderId: s.orderGid, reason } }, token);

const codeOf = (res: Awaited<ReturnType<typeof file>>) =>
  res.data?.fileClaim.userErrors[0]?.code ?? res.errors?.[0]?.extensions?.code;

describe('automatic defence', () => {
  it('answers for the seller when the signed proof passed every check', async () => {
    const s = await createShipment(server);
    await deliver(s, s.shipTo.name);
    const res = await file(s);
    expect(res.data?.fileClaim.claim).toMatchObject({
      status: 'SELLER_RESPONDED',
      answeredAutomatically: true,
    });
  });

  it.each([
    [
      'a flagged proof (signer is not the recipient)',
      {},
      async (s: ShipmentFixture) => deliver(s, 'Somebody Else Entirely'),
      'PROOF_FLAGGED',
    ],
    [
      'a missing signature',
      {},
      async (s: ShipmentFixture) => deliver(s, null),
      'SIGNATURE_MISSING',
    ],
    [
      'an adult signature without the ID check',
      { signature: SignatureOption.ADULT_SIGNATURE_REQUIRED },
      async (s: ShipmentFixture) => deliver(s, s.shipTo.name, { adultIdVerified: false }),
      'PROOF_FLAGGED',
    ],
    [
      'a ship-to changed after the label',
      {},
      async (s: ShipmentFixture) => {
        const changed = await server.gql(
          'mutation($id: ID!) { updateOrderRiskInputs(input: { orderId: $id, addressChangedAfterCheckout: true }) { userErrors { code } } }',
          { id: s.orderGid },
          server.tokens.admin,
        );
        expect(changed.errors).toBeUndefined();
        await deliver(s, s.shipTo.name);
      },
      'SHIP_TO_CHANGED',
    ],
  ])('never answers for %s', async (_what, options, act, exclusion) => {
    const s = await createShipment(server, options);
    await act(s);
    const res = await file(s);
    const claim = res.data?.fileClaim.claim;
    expect(claim).toMatchObject({ status: 'AWAITING_SELLER', answeredAutomatically: false });
    expect(claim?.transitions).toHaveLength(1);
    const stored = await server.db.manager.findOneByOrFail(Claim, {
      orderId: s.order.id,
    });
    expect(stored.evidence.defenceExclusions).toContain(exclusion);
  });

  it('leaves the answer to a seller who did not ask for automatic defence', async () => {
    const s = await createShipment(server, { seller: 1 });
    await deliver(s, s.shipTo.name);
    const res = await file(s);
    expect(res.data?.fileClaim.claim).toMatchObject({
      status: 'AWAITING_SELLER',
      answeredAutomatically: false,
    });
  });
});

describe('filing refusals', () => {
  it.each([
    ['a seller', () => server.tokens.seller[0]],
    ['platform staff', () => server.tokens.admin],
    ['a platform integration', () => devToken(Role.PLATFORM)],
  ])('refuses a claim filed by %s with FORBIDDEN', async (_who, token) => {
    const s = await createShipment(server);
    await deliver(s, s.shipTo.name);
    const res = await file(s, token());
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await server.db.manager.countBy(Claim, { orderId: s.order.id })).toBe(0);
  });

  it("refuses a claim on another buyer's order as ORDER_NOT_FOUND", async () => {
    const s = await createShipment(server);
    await deliver(s, s.shipTo.name);
    expect(codeOf(await file(s, otherBuyerToken(server, s.buyerToken)))).toBe('ORDER_NOT_FOUND');
  });

  it('refuses a second open claim on one order, also when two race', async () => {
    const s = await createShipment(server);
    await deliver(s, null);
    const [a, b] = await Promise.all([file(s), file(s)]);
    expect([codeOf(a), codeOf(b)].sort()).toEqual(['CLAIM_ALREADY_OPEN', undefined].sort());
    expect(codeOf(await file(s))).toBe('CLAIM_ALREADY_OPEN');
    expect(await server.db.manager.countBy(Claim, { orderId: s.order.id })).toBe(1);
  });

  it('refuses a claim outside its window with CLAIM_WINDOW_CLOSED', async () => {
    const s = await createShipment(server, { labelAt: new Date(Date.now() - 45 * DAY_MS) });
    await deliver(s, s.shipTo.name, {}, 40 * DAY_MS);
    expect(codeOf(await file(s))).toBe('CLAIM_WINDOW_CLOSED');
  });

  it('refuses an order neither delivered nor overdue with ORDER_NOT_CLAIMABLE', async () => {
    const s = await createShipment(server);
    expect(codeOf(await file(s))).toBe('ORDER_NOT_CLAIMABLE');
  });

  it('takes NOT_RECEIVED on an overdue order, undefended', async () => {
    const s = await createShipment(server, { labelAt: new Date(Date.now() - 20 * DAY_MS) });
    expect(codeOf(await file(s, s.buyerToken, 'DELIVERED_NOT_RECEIVED'))).toBe('INVALID_INPUT');
    const res = await file(s);
    expect(res.data?.fileClaim.claim?.status).toBe('AWAITING_SELLER');
    const stored = await server.db.manager.findOneByOrFail(Claim, { orderId: s.order.id });
    expect(stored.evidence.defenceExclusions).toContain('NOT_DELIVERED');
  });
});

describe('the seller answers', () => {
  async function openClaim(seller = 1): Promise<{ s: ShipmentFixture; claimId: string }> {
    const s = await createShipment(server, { seller });
    await deliver(s, null);
    const res = await file(s);
    return { s, claimId: res.data!.fileClaim.claim!.id };
  }
  const respond = (token: string, input: Record<string, unknown>) =>
    server.gql(RespondToClaimDocument, { input: input as never }, token);

  it('refunds (the order total by default) and closes the claim; a second answer is refused', async () => {
    const { s, claimId } = await openClaim();
    const refunded = await respond(s.sellerToken, { claimId, action: 'REFUND' });
    expect(refunded.data?.respondToClaim.claim).toMatchObject({
      status: 'REFUNDED',
      outcome: 'REFUNDED',
      refund: { currencyCode: s.order.currency },
    });
    const again = await respond(s.sellerToken, { claimId, action: 'RESHIP' });
    expect(again.data?.respondToClaim.userErrors[0]?.code).toBe('CLAIM_TRANSITION_NOT_ALLOWED');
  });

  it('refuses another seller (CLAIM_NOT_FOUND) and a refund over the order total', async () => {
    const { s, claimId } = await openClaim();
    const other = await respond(server.tokens.seller[2], { claimId, action: 'RESHIP' });
    expect(other.data?.respondToClaim.userErrors[0]?.code).toBe('CLAIM_NOT_FOUND');
    const over = await respond(s.sellerToken, {
      claimId,
      action: 'REFUND',
      refundAmount: '99999999.00',
    });
    expect(over.data?.respondToClaim.userErrors[0]?.code).toBe('INVALID_INPUT');
  });

  it('refuses SUBMIT_PROOF when there is no delivery proof (an overdue order)', async () => {
    const s = await createShipment(server, {
      seller: 1,
      labelAt: new Date(Date.now() - 20 * DAY_MS),
    });
    const claimId = (await file(s)).data!.fileClaim.claim!.id;
    const noProof = await respond(s.sellerToken, { claimId, action: 'SUBMIT_PROOF' });
    expect(noProof.data?.respondToClaim.userErrors[0]?.code).toBe('NO_DELIVERY_PROOF');
  });

  it('refuses an answer after the deadline with CLAIM_DEADLINE_PASSED', async () => {
    const { s, claimId } = await openClaim();
    await server.db.manager.update(
      Claim,
      { orderId: s.order.id },
      { sellerDeadlineAt: new Date(Date.now() - 1000) },
    );
    const late = await respond(s.sellerToken, { claimId, action: 'RESHIP' });
    expect(late.data?.respondToClaim.userErrors[0]?.code).toBe('CLAIM_DEADLINE_PASSED');
  });
});

describe('staff decide', () => {
  it('for the buyer: a refund of the order total unless they name less; a note is required', async () => {
    const s = await createShipment(server, { seller: 1 });
    await deliver(s, null);
    const claimId = (await file(s)).data!.fileClaim.claim!.id;
    const admin = server.tokens.admin;
    const resolve = (input: Record<string, unknown>) =>
      server.gql(ResolveClaimDocument, { input: { claimId, ...input } as never }, admin);
    const bare = await resolve({ decision: 'BUYER', note: '  ' });
    expect(bare.data?.resolveClaim.userErrors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: ['input', 'note'],
    });
    const done = await resolve({ decision: 'BUYER', note: 'No signature was captured.' });
    expect(done.data?.resolveClaim.claim).toMatchObject({
      status: 'RESOLVED_FOR_BUYER',
      outcome: 'REFUNDED',
      refund: { amount: (s.order.totalMinor / 100).toFixed(2) },
    });
    const again = await resolve({ decision: 'SELLER', note: 'Changed my mind.' });
    expect(again.data?.resolveClaim.userErrors[0]?.code).toBe('CLAIM_TRANSITION_NOT_ALLOWED');
  });
});

describe('Order.claims in a list', () => {
  it('costs as many SQL statements for 10 orders as for 50', async () => {
    const admin = server.tokens.admin;
    const measure = async (first: number) => {
      const { result, statements } = await server.sql.measure(() =>
        server.gql(OrdersWithClaimsDocument, { first }, admin),
      );
      expect(result.errors).toBeUndefined();
      return { statements, orders: result.data!.orders.edges };
    };
    const fifty = await measure(50);
    const ten = await measure(10);
    expect(fifty.orders.length).toBe(50);
    expect(fifty.orders.some((e) => e.node.claims.length > 0)).toBe(true);
    expect(fifty.statements).toBe(ten.statements);
    expect(await server.db.manager.count(Order)).toBeGreaterThan(50);
  });
});
