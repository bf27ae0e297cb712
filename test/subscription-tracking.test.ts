import { randomUUID } from 'node:crypto';
import { hashToken } from '../src/auth/token-hash';
import { ApiToken } from '../src/entities';
import { Role, SignatureOption } from '../src/entities/enums';
import {
  SellerFeedCatchUpDocument,
  SellerShipmentFeedFullDocument,
  ShipmentCatchUpDocument,
  ShipmentUpdatedDocument,
  ShipmentUpdatedWithHistoryDocument,
  ViewerDocument,
} from './generated/operations';
import { carrierEvent, minutesFromNow, postCarrierEvent } from './support/carrier';
import { createShipment, otherBuyerToken } from './support/shipments';
import type { ShipmentFixture } from './support/shipments';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';
import { liveSubscriptions, subscribe, wsClient } from './support/ws-client';

let server: TestServer;
const { start: live, listening, closeAll } = liveSubscriptions(() => server);

beforeAll(async () => {
  // The periodic re-check of open sockets' tokens (which closes a revoked one's socket) has its
  // own test in security-ws-limits; here it would race the per-operation check tested below.
  server = await startTestServer({ WS_TOKEN_RECHECK_MS: '3600000' });
});
afterEach(() => closeAll());
afterAll(() => server.stop());

const post = (s: ShipmentFixture, fields: Record<string, unknown>) =>
  postCarrierEvent(server, 'USPS', carrierEvent(s.trackingNumber, fields));

describe('shipmentUpdated', () => {
  it("pushes a shipment's change to its buyer after it commits", async () => {
    const s = await createShipment(server);
    const sub = live(s.buyerToken, ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    await listening('shipment:changed', s.shipment.id);
    await post(s, { status: 'OUT_FOR_DELIVERY', location: 'Portland, OR' });
    const result = await sub.next();
    expect(result.errors).toBeUndefined();
    expect(result.data?.shipmentUpdated).toMatchObject({
      changes: ['EVENT_ADDED', 'STATUS'],
      previousStatus: 'LABEL_CREATED',
      signatureMissing: false,
      shipment: {
        id: s.shipmentGid,
        status: 'OUT_FOR_DELIVERY',
        signatureRequirementText: 'Signature Required',
      },
      event: {
        status: 'OUT_FOR_DELIVERY',
        location: 'Portland, OR',
        signatureRequirementText: 'Signature Required',
      },
    });
  });

  it('follows an order for its buyer', async () => {
    const s = await createShipment(server);
    const sub = live(s.buyerToken, ShipmentUpdatedDocument, { orderId: s.orderGid });
    await listening('seller:shipments', s.shipment.sellerId);
    await post(s, { status: 'DELIVERY_ATTEMPTED', reason: 'SIGNATURE_UNAVAILABLE' });
    const update = (await sub.next()).data?.shipmentUpdated;
    expect(update?.shipment).toMatchObject({ id: s.shipmentGid, status: 'DELIVERY_ATTEMPTED' });
    expect(update?.shipment.statusReason).toBe('SIGNATURE_UNAVAILABLE');
  });

  it("refuses another buyer's subscription with NOT_FOUND", async () => {
    const s = await createShipment(server);
    const other = otherBuyerToken(server, s.buyerToken);
    const byShipment = live(other, ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    const byOrder = live(other, ShipmentUpdatedDocument, { orderId: s.orderGid });
    for (const sub of [byShipment, byOrder]) {
      const end = await sub.ended;
      expect(end.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    expect(server.listeners('shipment:changed', s.shipment.id)).toBe(0);
  });

  it('refuses a connection without a token (close 4403)', async () => {
    const s = await createShipment(server);
    const sub = live(null, ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    expect(await sub.ended).toEqual({ closeCode: 4403 });
  });

  it('refuses a call without exactly one of shipmentId and orderId', async () => {
    const s = await createShipment(server);
    const both = live(s.buyerToken, ShipmentUpdatedDocument, {
      shipmentId: s.shipmentGid,
      orderId: s.orderGid,
    });
    expect((await both.ended).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('delivers only the subscribed shipment, and nothing for a duplicate event', async () => {
    const a = await createShipment(server);
    const b = await createShipment(server);
    const sub = live(b.buyerToken, ShipmentUpdatedDocument, { shipmentId: b.shipmentGid });
    await listening('shipment:changed', b.shipment.id);
    const first = carrierEvent(b.trackingNumber, { occurredAt: minutesFromNow(-3) });
    await postCarrierEvent(server, 'USPS', first);
    await post(a, { status: 'IN_TRANSIT' });
    expect((await postCarrierEvent(server, 'USPS', first)).body.duplicate).toBe(true);
    await post(b, { status: 'OUT_FOR_DELIVERY' });
    const seen = [(await sub.next()).data, (await sub.next()).data].map(
      (d) => `${d?.shipmentUpdated.shipment.trackingNumber}:${d?.shipmentUpdated.shipment.status}`,
    );
    expect(seen).toEqual([
      `${b.trackingNumber}:IN_TRANSIT`,
      `${b.trackingNumber}:OUT_FOR_DELIVERY`,
    ]);
  });

  it("reads each event's own history, not the first event's", async () => {
    const s = await createShipment(server);
    const sub = live(s.sellerToken, ShipmentUpdatedWithHistoryDocument, {
      shipmentId: s.shipmentGid,
    });
    await listening('shipment:changed', s.shipment.id);
    await post(s, { status: 'IN_TRANSIT', occurredAt: minutesFromNow(-2) });
    await post(s, { status: 'OUT_FOR_DELIVERY', occurredAt: minutesFromNow(-1) });
    const counts = [(await sub.next()).data, (await sub.next()).data].map(
      (d) => d?.shipmentUpdated.shipment.events.length,
    );
    expect(counts).toEqual([2, 3]);
  });
});

describe('sellerShipmentFeed', () => {
  it("pushes every change of the seller's shipments", async () => {
    const s = await createShipment(server);
    const t = await createShipment(server);
    const feed = live(s.sellerToken, SellerShipmentFeedFullDocument, {});
    await listening('seller:shipments', s.shipment.sellerId);
    await post(s, { status: 'IN_TRANSIT' });
    await post(t, { status: 'IN_TRANSIT' });
    const ids = [(await feed.next()).data, (await feed.next()).data].map(
      (d) => d?.sellerShipmentFeed.shipment.id,
    );
    expect(ids).toEqual([s.shipmentGid, t.shipmentGid]);
  });

  it('flags a delivery without the signature that was paid for', async () => {
    const s = await createShipment(server, { signature: SignatureOption.ADULT_SIGNATURE_REQUIRED });
    const feed = live(s.sellerToken, SellerShipmentFeedFullDocument, {});
    await listening('seller:shipments', s.shipment.sellerId);
    await post(s, { status: 'DELIVERED', occurredAt: minutesFromNow(-1) });
    const update = (await feed.next()).data?.sellerShipmentFeed;
    expect(update).toMatchObject({
      signatureMissing: true,
      proofFlagged: true,
      shipment: { status: 'DELIVERED' },
    });
    expect(update?.changes).toEqual(['EVENT_ADDED', 'STATUS', 'DELIVERY_PROOF']);
  });

  it('is for sellers: a buyer gets FORBIDDEN', async () => {
    const feed = live(server.tokens.buyer[0], SellerShipmentFeedFullDocument, {});
    expect((await feed.ended).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('catching up after a reconnect', () => {
  it('starts shipmentUpdated with the state the subscriber missed, then goes live', async () => {
    const s = await createShipment(server);
    // Happened while the buyer's app was away.
    await post(s, { status: 'IN_TRANSIT', location: 'Reno, NV' });
    const sub = live(s.buyerToken, ShipmentCatchUpDocument, { shipmentId: s.shipmentGid });
    const first = (await sub.next()).data?.shipmentUpdated;
    expect(first).toMatchObject({
      changes: ['CURRENT'],
      previousStatus: null,
      shipment: { id: s.shipmentGid, status: 'IN_TRANSIT' },
      event: { status: 'IN_TRANSIT', location: 'Reno, NV' },
    });
    await listening('shipment:changed', s.shipment.id);
    await post(s, { status: 'OUT_FOR_DELIVERY' });
    const next = (await sub.next()).data?.shipmentUpdated;
    expect(next?.changes).toEqual(['EVENT_ADDED', 'STATUS']);
    expect(next?.shipment.status).toBe('OUT_FOR_DELIVERY');
  });

  it("catches up on an order's shipment too", async () => {
    const s = await createShipment(server);
    await post(s, { status: 'DELIVERY_ATTEMPTED', reason: 'SIGNATURE_UNAVAILABLE' });
    const sub = live(s.buyerToken, ShipmentCatchUpDocument, { orderId: s.orderGid });
    const first = (await sub.next()).data?.shipmentUpdated;
    expect(first?.changes).toEqual(['CURRENT']);
    expect(first?.shipment).toMatchObject({ id: s.shipmentGid, status: 'DELIVERY_ATTEMPTED' });
  });

  it("starts the seller feed with the shipments changed since the client's last update", async () => {
    const s = await createShipment(server);
    const t = await createShipment(server);
    // The last update the seller's dashboard saw; then it went away.
    const changedSince = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await post(s, { status: 'IN_TRANSIT' });
    const feed = live(s.sellerToken, SellerFeedCatchUpDocument, { changedSince });
    const first = (await feed.next()).data?.sellerShipmentFeed;
    expect(first?.changes).toEqual(['CURRENT']);
    expect(first?.shipment).toMatchObject({ id: s.shipmentGid, status: 'IN_TRANSIT' });
    await listening('seller:shipments', s.shipment.sellerId);
    await post(t, { status: 'IN_TRANSIT' });
    // t did not change after `changedSince`: its first appearance is the live change.
    const next = (await feed.next()).data?.sellerShipmentFeed;
    expect(next?.changes).toEqual(['EVENT_ADDED', 'STATUS']);
    expect(next?.shipment.id).toBe(t.shipmentGid);
  });

  it('refuses a malformed changedSince before subscribing', async () => {
    const feed = live(server.tokens.seller[0], SellerFeedCatchUpDocument, {
      changedSince: 'yesterday',
    });
    expect((await feed.ended).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('a token revoked while its socket is open', () => {
  it('starts no new query or subscription on that socket: UNAUTHENTICATED', async () => {
    const s = await createShipment(server);
    // A token of the buyer's own, so revoking it leaves the seeded tokens to the other tests.
    const token = `revocable-${randomUUID()}`;
    const row = await server.db.transaction(({ manager }) =>
      manager.save(
        manager.create(ApiToken, {
          tokenHash: hashToken(token),
          role: Role.BUYER,
          sellerId: null,
          buyerId: s.buyer.id,
          label: 'revocable',
          createdAt: new Date(),
          revokedAt: null,
        }),
      ),
    );
    const client = wsClient(server, token);
    let connections = 0;
    client.on('connected', () => (connections += 1));
    // The open subscription keeps the one socket open for everything below.
    const running = subscribe(client, ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    try {
      await listening('shipment:changed', s.shipment.id);
      const before = await subscribe(client, ViewerDocument, {}).next();
      expect(before.data?.viewer.role).toBe('BUYER');

      await server.db.transaction(({ manager }) =>
        manager.update(ApiToken, { id: row.id }, { revokedAt: new Date() }),
      );
      const query = await subscribe(client, ViewerDocument, {}).next();
      expect(query.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(query.data ?? null).toBeNull();
      const again = subscribe(client, ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
      expect((await again.ended).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(server.listeners('shipment:changed', s.shipment.id)).toBe(1);
      expect(connections).toBe(1);
    } finally {
      await running.close();
    }
  });
});
