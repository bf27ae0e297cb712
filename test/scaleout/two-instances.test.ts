import type { Redis } from 'ioredis';
import { Charge, IdempotencyRecord, Label, Shipment } from '../../src/entities';
import { fromGlobalId } from '../../src/core/global-id';
import { SellerShipmentFeedFullDocument, ShipmentUpdatedDocument } from '../generated/operations';
import type { PurchaseLabelInput } from '../generated/operations';
import { carrierEvent, postCarrierEvent } from '../support/carrier';
import { createShipment } from '../support/shipments';
import { acceptCurrentTerms } from '../support/seller-flow';
import { pickOrder, pickRate, purchase, quoteOrder } from '../support/labels';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { subscribe, wsClient } from '../support/ws-client';
import type { LiveSubscription } from '../support/ws-client';
import { redisClient, subscriberCount } from './helpers';
import { waitFor } from '../support/wait';

/** Two instances of the service over one PostgreSQL schema and one Redis channel namespace. */
let a: TestServer;
let b: TestServer;
let redis: Redis;
const open: Array<LiveSubscription<unknown>> = [];

beforeAll(async () => {
  a = await startTestServer();
  b = await startTestServer({}, { peerOf: a });
  redis = redisClient();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  jest.restoreAllMocks();
});
afterAll(async () => {
  redis?.disconnect();
  await b?.stop();
  await a?.stop();
});

/** graphql-ws has no "subscribed" acknowledgement: wait until B listens, locally and in Redis. */
async function listeningOnB(topic: 'shipment:changed' | 'seller:shipments', id: number) {
  await waitFor(`B's ${topic} listener`, () => b.listeners(topic, id) > 0);
  const channel = `${b.stores.redisChannelPrefix}${topic}:${id}`;
  await waitFor(`B's Redis subscription to ${channel}`, async () => {
    return (await subscriberCount(redis, channel)) > 0;
  });
}

describe('two instances behind one load balancer', () => {
  it('pushes a carrier event posted to instance A to a subscriber connected to instance B', async () => {
    const s = await createShipment(a);
    const buyerSub = subscribe(wsClient(b, s.buyerToken), ShipmentUpdatedDocument, {
      shipmentId: s.shipmentGid,
    });
    const sellerFeed = subscribe(wsClient(b, s.sellerToken), SellerShipmentFeedFullDocument, {});
    open.push(buyerSub as LiveSubscription<unknown>, sellerFeed as LiveSubscription<unknown>);
    await listeningOnB('shipment:changed', s.shipment.id);
    await listeningOnB('seller:shipments', s.shipment.sellerId);

    const posted = await postCarrierEvent(
      a,
      'USPS',
      carrierEvent(s.trackingNumber, { status: 'OUT_FOR_DELIVERY', location: 'Salem, OR' }),
    );
    expect(posted.status).toBe(200);

    const pushed = await buyerSub.next();
    expect(pushed.errors).toBeUndefined();
    expect(pushed.data?.shipmentUpdated).toMatchObject({
      previousStatus: 'LABEL_CREATED',
      shipment: { id: s.shipmentGid, status: 'OUT_FOR_DELIVERY' },
      event: { status: 'OUT_FOR_DELIVERY', location: 'Salem, OR' },
    });
    const fed = await sellerFeed.next();
    expect(fed.data?.sellerShipmentFeed.shipment).toMatchObject({
      id: s.shipmentGid,
      status: 'OUT_FOR_DELIVERY',
    });
    // And B reads the same committed state A wrote.
    const row = await b.db.manager.findOneByOrFail(Shipment, { id: s.shipment.id });
    expect(row.status).toBe('OUT_FOR_DELIVERY');
  });
});

describe('label purchase across two instances', () => {
  let seller: string;
  const used = new Set<string>();

  beforeAll(async () => {
    seller = a.tokens.seller[0];
    await acceptCurrentTerms(a, seller);
  });

  /** A quote for a seeded order of the first seller that no other test here has used. */
  async function freshQuote() {
    const order = await pickOrder(a, seller, { taken: used });
    const quote = await quoteOrder(a, seller, order.id);
    const rate = pickRate(quote, { service: 'USPS_PRIORITY_MAIL' });
    return { orderId: fromGlobalId(order.id, 'Order'), quote, rate };
  }

  const buy = (server: TestServer, input: PurchaseLabelInput) => purchase(server, seller, input);

  async function rowsFor(orderId: number) {
    const m = a.db.manager;
    const labels = await m.find(Label, { where: { orderId } });
    const charges = labels.length
      ? await m.count(Charge, { where: labels.map((l) => ({ labelId: l.id })) })
      : 0;
    return {
      labels: labels.length,
      charges,
      shipments: await m.count(Shipment, { where: { orderId } }),
    };
  }

  it('makes one label and one charge when the same key reaches A and B at once', async () => {
    const { orderId, quote, rate } = await freshQuote();
    const calls = [a, b].map((s) => jest.spyOn(s.carriers, 'purchase'));
    const voids = [a, b].map((s) => jest.spyOn(s.carriers, 'void'));
    const input: PurchaseLabelInput = {
      quoteId: quote.id,
      rateId: rate.id,
      signatureOption: 'NONE',
      idempotencyKey: `two-instances-${orderId}`,
    };
    // Five through each instance, interleaved, all in flight together.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => buy(i % 2 ? b : a, input)),
    );
    for (const res of results) {
      expect(res.errors).toBeUndefined();
      expect(res.data?.purchaseLabel.userErrors).toEqual([]);
    }
    const labelIds = new Set(results.map((r) => r.data!.purchaseLabel.label!.id));
    expect(labelIds.size).toBe(1);
    // Each instance asks the carrier outside its transaction, all under the one reference: the
    // carrier sells one label, and neither instance voids it.
    const carrierCalls = calls.flatMap((c) => c.mock.calls.map(([request]) => request.reference));
    expect(carrierCalls.length).toBeGreaterThan(0);
    expect(new Set(carrierCalls)).toEqual(new Set([expect.stringMatching(/:two-instances-/)]));
    const sold = await Promise.all(
      calls.flatMap((c) =>
        c.mock.results.map((r) => r.value as Promise<{ trackingNumber: string }>),
      ),
    );
    expect(new Set(sold.map((s) => s.trackingNumber))).toEqual(
      new Set([results[0].data!.purchaseLabel.label!.trackingNumber]),
    );
    for (const v of voids) expect(v).not.toHaveBeenCalled();
    expect(await rowsFor(orderId)).toEqual({ labels: 1, charges: 1, shipments: 1 });
    const records = await a.db.manager.count(IdempotencyRecord, {
      where: { key: input.idempotencyKey },
    });
    expect(records).toBe(1);
  });

  it('labels an order once when purchases with different keys race on A and B', async () => {
    const { orderId, quote, rate } = await freshQuote();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        buy(i % 2 ? b : a, {
          quoteId: quote.id,
          rateId: rate.id,
          signatureOption: 'NONE',
          idempotencyKey: `race-${orderId}-${i}`,
        }),
      ),
    );
    const codes = results.map((r): string => r.data?.purchaseLabel.userErrors[0]?.code ?? 'OK');
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'ORDER_ALREADY_LABELED')).toHaveLength(9);
    expect(await rowsFor(orderId)).toEqual({ labels: 1, charges: 1, shipments: 1 });
  });
});
