import { Address, Buyer, Notification, Order, WebhookDelivery } from '../src/entities';
import { NotificationKind } from '../src/entities/enums';
import { parseGlobalId, toGlobalId } from '../src/core/global-id';
import {
  ClaimUpdatedDocument,
  ClaimsDocument,
  CreateWebhookEndpointDocument,
  FileClaimDocument,
  ReassessOrderDocument,
  ResolveClaimDocument,
  RiskOrdersDocument,
  SetAutoDefendClaimsDocument,
} from './generated/operations';
import { carrierEvent, minutesFromNow, postCarrierEvent, pngSignature } from './support/carrier';
import { buyLabel } from './support/labels';
import { acceptCurrentTerms } from './support/seller-flow';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';
import { liveSubscriptions } from './support/ws-client';

/**
 * The signed story over the API: a HIGH order labelled with a signature is delivered and signed;
 * its buyer files NOT_RECEIVED; the evidence is attached and the automatic answer lands before
 * the deadline; staff decide for the seller; the buyer's next order to that address is assessed
 * with a claims reason that comes from this history.
 */

let server: TestServer;
const subs = liveSubscriptions(() => server);

beforeAll(async () => {
  server = await startTestServer({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
});
afterEach(() => subs.closeAll());
afterAll(() => server.stop());

async function tokenOfBuyer(buyerId: number): Promise<string> {
  const ids = (await server.db.manager.find(Buyer, { order: { id: 'ASC' } })).map((b) => b.id);
  return server.tokens.buyer[ids.indexOf(buyerId)];
}

describe('the signed story', () => {
  it('defends a signed HIGH delivery at once, staff side with the seller, and the history feeds risk', async () => {
    const seller = server.tokens.seller[0];
    const m = server.db.manager;
    await acceptCurrentTerms(server, seller);
    const auto = await server.gql(SetAutoDefendClaimsDocument, { on: true }, seller);
    expect(auto.data?.updateRiskSettings.riskSettings?.autoDefendClaims).toBe(true);

    // A HIGH order recommending a plain signature, whose buyer has no claim history yet, and who
    // has another order to the same address awaiting shipment (the "next order").
    const highs = await server.gql(
      RiskOrdersDocument,
      { first: 100, filter: { status: 'AWAITING_SHIPMENT', riskLevel: 'HIGH' } },
      seller,
    );
    let chosen: { id: string; next: Order; shipTo: Address } | null = null;
    for (const { node } of highs.data!.orders.edges) {
      const ra = node.riskAssessment!;
      if (ra.recommendedSignature !== 'SIGNATURE_REQUIRED') continue;
      if (ra.reasons.some((r) => r.code === 'PRIOR_NOT_RECEIVED_CLAIMS')) continue;
      const order = await m.findOneByOrFail(Order, { id: parseGlobalId(node.id)!.id });
      const shipTo = await m.findOneByOrFail(Address, { id: order.shipToAddressId });
      const others = await m.find(Order, {
        where: { buyerId: order.buyerId },
        relations: { shipToAddress: true },
      });
      const next = others.find(
        (o) =>
          o.id !== order.id &&
          o.status === 'AWAITING_SHIPMENT' &&
          o.shipToAddress!.fingerprint === shipTo.fingerprint,
      );
      if (next) {
        chosen = { id: node.id, next, shipTo };
        break;
      }
    }
    if (!chosen) throw new Error('the seeds give seller 0 no HIGH order whose buyer orders again');
    const { id: orderId, next, shipTo } = chosen;
    const buyerId = next.buyerId;
    const buyer = await tokenOfBuyer(buyerId);

    const { shipment, label } = await buyLabel(server, seller, {
      orderId,
      signatureOption: 'SIGNATURE_REQUIRED',
    });
    const delivered = await postCarrierEvent(
      server,
      label.carrier,
      carrierEvent(shipment.trackingNumber, {
        status: 'DELIVERED',
        signature: {
          signerName: shipTo.name,
          imageDataUrl: pngSignature(shipTo.name),
          signedAt: minutesFromNow(0),
          location: 'Front porch',
        },
      }),
    );
    expect(delivered.status).toBe(200);

    // The seller's systems take claim.updated webhooks (the test server runs no webhook worker).
    const hook = await server.gql(
      CreateWebhookEndpointDocument,
      { input: { url: 'http://127.0.0.1:9/claims', events: ['claim.updated'] } },
      seller,
    );
    expect(hook.data?.createWebhookEndpoint.userErrors).toEqual([]);

    // Buyer and seller both hear every move.
    const { sellerId } = await m.findOneByOrFail(Order, { id: parseGlobalId(orderId)!.id });
    const forBuyer = subs.start(buyer, ClaimUpdatedDocument, {});
    const forSeller = subs.start(seller, ClaimUpdatedDocument, {});
    await subs.listening('claims:buyer', buyerId);
    await subs.listening('claims:seller', sellerId);

    const filed = await server.gql(
      FileClaimDocument,
      { input: { orderId, reason: 'NOT_RECEIVED', description: 'Nothing came.' } },
      buyer,
    );
    expect(filed.data?.fileClaim.userErrors).toEqual([]);
    const claim = filed.data!.fileClaim.claim!;
    // The evidence is attached at once and answers for the seller, before the deadline.
    expect(claim.status).toBe('SELLER_RESPONDED');
    expect(claim.answeredAutomatically).toBe(true);
    expect(claim.transitions.map((t) => [t.fromStatus, t.toStatus, t.actor])).toEqual([
      [null, 'AWAITING_SELLER', 'BUYER'],
      ['AWAITING_SELLER', 'SELLER_RESPONDED', 'SYSTEM'],
    ]);
    expect(new Date(claim.transitions[1].at).getTime()).toBeLessThan(
      new Date(claim.sellerDeadlineAt).getTime(),
    );
    // The buyer does not see the evidence (it holds the seller's signature decision).
    expect(claim.evidence).toBeNull();

    const sellerView = await server.gql(ClaimsDocument, { first: 10 }, seller);
    const evidence = sellerView.data!.claims.edges.find((e) => e.node.id === claim.id)!.node
      .evidence!;
    expect(evidence).toMatchObject({
      trackingNumber: shipment.trackingNumber,
      shipmentStatus: 'DELIVERED',
      signatureOption: 'SIGNATURE_REQUIRED',
      signatureDecision: { recommended: 'SIGNATURE_REQUIRED', chosen: 'SIGNATURE_REQUIRED' },
      proof: { signerName: shipTo.name, flagged: false },
      defenceExclusions: [],
    });
    expect(evidence.signatureCarrierCode).not.toBeNull();
    expect(evidence.tracking.map((t) => t.status)).toEqual(['LABEL_CREATED', 'DELIVERED']);

    for (const sub of [forBuyer, forSeller]) {
      const pushes = [await sub.next(), await sub.next()];
      expect(pushes.map((p) => p.data?.claimUpdated?.id)).toEqual([claim.id, claim.id]);
      expect(pushes.map((p) => p.data?.claimUpdated?.status)).toEqual([
        expect.any(String),
        'SELLER_RESPONDED',
      ]);
    }

    // The buyer hears of the automatic answer through the outbox.
    const notices = await m.find(Notification, {
      where: { buyerId, kind: NotificationKind.CLAIM_UPDATED },
    });
    expect(notices).toHaveLength(1);
    expect(notices[0].body).toMatch(/answered your claim/);

    // Staff decide for the seller; the claim is closed.
    const resolved = await server.gql(
      ResolveClaimDocument,
      {
        input: {
          claimId: claim.id,
          decision: 'SELLER',
          note: 'Signed for by the recipient at the door.',
        },
      },
      server.tokens.admin,
    );
    expect(resolved.data?.resolveClaim.userErrors).toEqual([]);
    expect(resolved.data?.resolveClaim.claim).toMatchObject({
      status: 'RESOLVED_FOR_SELLER',
      outcome: 'RESOLVED_FOR_SELLER',
      refund: null,
    });
    expect(resolved.data!.resolveClaim.claim!.transitions.at(-1)).toMatchObject({
      actor: 'ADMIN',
      note: 'Signed for by the recipient at the door.',
    });

    // The buyer's next order to that address is assessed with the claim from this history.
    const reassessed = await server.gql(
      ReassessOrderDocument,
      { orderId: toGlobalId('Order', next.id) },
      server.tokens.admin,
    );
    const assessment = reassessed.data!.updateOrderRiskInputs.riskAssessment!;
    expect(assessment.level).toBe('HIGH');
    const reason = assessment.reasons.find((r) => r.code === 'PRIOR_NOT_RECEIVED_CLAIMS');
    expect(reason?.message).toMatch(
      /1 earlier not-received claim \(1 decided for the seller on the delivery proof\)/,
    );

    // One claim.updated webhook per move, written with it: filed, answered, decided.
    const sent = await m.find(WebhookDelivery, {
      where: { event: 'claim.updated' },
      order: { id: 'ASC' },
    });
    expect(sent.map((d) => JSON.parse(d.payload).data.status)).toEqual([
      'AWAITING_SELLER',
      'SELLER_RESPONDED',
      'RESOLVED_FOR_SELLER',
    ]);
    expect(JSON.parse(sent[2].payload).data).toMatchObject({
      claimId: claim.id,
      orderId,
      actor: 'ADMIN',
      outcome: 'RESOLVED_FOR_SELLER',
    });
  });
});
