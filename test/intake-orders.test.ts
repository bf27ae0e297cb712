import { addressFingerprint } from '../src/core/address-fingerprint';
import { fromGlobalId } from '../src/core/global-id';
import { Address, LineItem, Order, RiskAssessment } from '../src/entities';
import { Role } from '../src/entities/enums';
import { devToken } from '../seeds/dev-tokens';
import {
  CancelOrderDocument,
  ChangeOrderShipToDocument,
  FindOrdersDocument,
  HoldOrderDocument,
  ImportOrdersDocument,
  ReleaseOrderDocument,
  SellerOrderUpdatedDocument,
} from './generated/operations';
import type { ImportOrderInput } from './generated/operations';
import { HOME, orderInput } from './support/intake';
import type { ImportResult } from './support/intake';
import { buyLabel } from './support/labels';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';
import { subscribe, wsClient } from './support/ws-client';

let server: TestServer;
const platform = devToken(Role.PLATFORM);

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function importAs(token: string, orders: unknown[], source = 'acme') {
  return server.gql(
    ImportOrdersDocument,
    { input: { source, orders: orders as ImportOrderInput[] } },
    token,
  );
}

async function importOk(orders: unknown[], source = 'acme'): Promise<ImportResult[]> {
  const res = await importAs(platform, orders, source);
  expect(res.errors).toBeUndefined();
  expect(res.data!.importOrders.userErrors).toEqual([]);
  return res.data!.importOrders.results;
}

/** Rows in every table an import writes, to prove a refusal left nothing behind. */
async function rowCounts() {
  const m = server.db.manager;
  return {
    orders: await m.count(Order),
    addresses: await m.count(Address),
    lineItems: await m.count(LineItem),
    assessments: await m.count(RiskAssessment),
  };
}

describe('importOrders', () => {
  it('creates each order with a current assessment and the fingerprint the product computes', async () => {
    const [result] = await importOk([orderInput({ externalId: 'new-1' })]);
    expect(result.outcome).toBe('CREATED');
    expect(result.userErrors).toEqual([]);
    expect(result.order!.riskAssessment).toMatchObject({ level: 'LOW', reasons: [] });
    const row = await server.db.manager.findOneByOrFail(Order, {
      id: fromGlobalId(result.order!.id, 'Order'),
    });
    expect(row).toMatchObject({ source: 'acme', externalId: 'new-1', number: 'M-new-1' });
    const address = await server.db.manager.findOneByOrFail(Address, { id: row.shipToAddressId });
    expect(address.fingerprint).toBe(addressFingerprint(HOME));
  });

  it('assesses an expensive wine order HIGH with the reasons that apply', async () => {
    const [result] = await importOk([
      orderInput({ externalId: 'wine-1', unitPriceMinor: 90_000, ageRestricted: true }),
    ]);
    const codes = result.order!.riskAssessment!.reasons.map((r) => r.code).sort();
    expect(result.order!.riskAssessment!.level).toBe('HIGH');
    expect(codes).toEqual(['AGE_RESTRICTED_ITEM', 'ORDER_VALUE_HIGH']);
    expect(result.order!.riskAssessment!.recommendedSignature).toBe('ADULT_SIGNATURE_REQUIRED');
  });

  it('answers the same order again UNCHANGED and writes nothing', async () => {
    const input = orderInput({ externalId: 'repeat-1' });
    const [first] = await importOk([input]);
    const before = await rowCounts();
    const [again, inBatch] = await importOk([input, input]);
    expect([again.outcome, inBatch.outcome]).toEqual(['UNCHANGED', 'UNCHANGED']);
    expect(again.order!.id).toBe(first.order!.id);
    expect(await rowCounts()).toEqual(before);
  });

  it('marks a changed ship-to as changed after checkout and reassesses (UPDATED)', async () => {
    const input = orderInput({ externalId: 'moved-1' });
    const [first] = await importOk([input]);
    const moved = {
      ...input,
      shipTo: {
        ...HOME,
        line1: '880 Park Ave',
        line2: null,
        city: 'San Jose',
        region: 'CA',
        postalCode: '95126',
      },
    };
    const [result] = await importOk([moved]);
    expect(result.outcome).toBe('UPDATED');
    expect(result.order!.id).toBe(first.order!.id);
    expect(result.order!.addressChangedAfterCheckout).toBe(true);
    expect(result.order!.shipTo.city).toBe('San Jose');
    expect(result.order!.riskAssessment!.reasons.map((r) => r.code)).toContain(
      'ADDRESS_CHANGED_AFTER_CHECKOUT',
    );
    const current = await server.db.manager.count(RiskAssessment, {
      where: { orderId: fromGlobalId(first.order!.id, 'Order'), isCurrent: true },
    });
    expect(current).toBe(1);
  });

  it('rejects a bad order at its index and field while the others go in, leaving none of it', async () => {
    const before = await rowCounts();
    const bad = orderInput({ externalId: 'bad-1' });
    bad.lineItems[0].quantity = 0;
    const unbalanced = { ...orderInput({ externalId: 'bad-2' }), totalMinor: 1 };
    const results = await importOk([
      orderInput({ externalId: 'good-1' }),
      bad,
      unbalanced,
      orderInput({ externalId: 'good-2' }),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['CREATED', 'REJECTED', 'REJECTED', 'CREATED']);
    expect(results[1].userErrors).toEqual([
      expect.objectContaining({
        code: 'INVALID_INPUT',
        field: ['orders', '1', 'lineItems', '0', 'quantity'],
      }),
    ]);
    expect(results[2].userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', field: ['orders', '2', 'totalMinor'] }),
    ]);
    const after = await rowCounts();
    expect(after.orders - before.orders).toBe(2);
    expect(after.assessments - before.assessments).toBe(2);
    expect(await server.db.manager.count(Order, { where: { externalId: 'bad-1' } })).toBe(0);
  });

  it('rejects an unknown seller or buyer with a code and writes nothing of that order', async () => {
    const before = await rowCounts();
    const results = await importOk([
      orderInput({ externalId: 'ghost-seller', sellerId: 9999 }),
      orderInput({ externalId: 'ghost-buyer', buyerId: 9999 }),
    ]);
    expect(results.map((r) => r.userErrors[0])).toEqual([
      expect.objectContaining({ code: 'SELLER_NOT_FOUND', field: ['orders', '0', 'sellerId'] }),
      expect.objectContaining({ code: 'BUYER_NOT_FOUND', field: ['orders', '1', 'buyerId'] }),
    ]);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a batch of 101 as a whole and writes nothing', async () => {
    const before = await rowCounts();
    const orders = Array.from({ length: 101 }, (_, i) => orderInput({ externalId: `big-${i}` }));
    const res = await importAs(platform, orders);
    expect(res.data!.importOrders.results).toEqual([]);
    expect(res.data!.importOrders.userErrors).toEqual([
      expect.objectContaining({ code: 'TOO_MANY_ORDERS', field: ['orders'] }),
    ]);
    expect(await rowCounts()).toEqual(before);
  });

  it('keeps numbers unique per source: taken in one source, free in another', async () => {
    await importOk([orderInput({ externalId: 'num-1', number: '1001' })]);
    const [taken] = await importOk([orderInput({ externalId: 'num-2', number: '1001' })]);
    expect(taken.userErrors).toEqual([
      expect.objectContaining({ code: 'ORDER_NUMBER_TAKEN', field: ['orders', '0', 'number'] }),
    ]);
    const [other] = await importOk([orderInput({ externalId: 'num-2', number: '1001' })], 'beta');
    expect(other.userErrors).toEqual([]);
    expect(other.outcome).toBe('CREATED');
  });

  it('lets a seller import for itself only; another seller is FORBIDDEN and nothing is written', async () => {
    const [own] = (await importAs(server.tokens.seller[0], [orderInput({ externalId: 'own-1' })]))
      .data!.importOrders.results;
    expect(own.outcome).toBe('CREATED');
    const before = await rowCounts();
    const res = await importAs(server.tokens.seller[0], [
      orderInput({ externalId: 'own-2' }),
      orderInput({ externalId: 'theirs-1', sellerId: 2 }),
    ]);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await rowCounts()).toEqual(before);
  });

  it('is FORBIDDEN to buyers and UNAUTHENTICATED without a token', async () => {
    const input = [orderInput({ externalId: 'buyer-1' })];
    expect((await importAs(server.tokens.buyer[0], input)).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    const anonymous = await server.gql(ImportOrdersDocument, {
      input: { source: 'acme', orders: input },
    });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('makes exactly one order of concurrent imports of one external id', async () => {
    const input = orderInput({ externalId: 'race-1' });
    const answers = await Promise.all(Array.from({ length: 6 }, () => importOk([input])));
    const outcomes = answers.map(([r]) => r.outcome).sort();
    expect(outcomes.filter((o) => o === 'CREATED')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'UNCHANGED')).toHaveLength(5);
    expect(new Set(answers.map(([r]) => r.order!.id)).size).toBe(1);
    const rows = await server.db.manager.find(Order, { where: { externalId: 'race-1' } });
    expect(rows).toHaveLength(1);
    const current = await server.db.manager.count(RiskAssessment, {
      where: { orderId: rows[0].id, isCurrent: true },
    });
    expect(current).toBe(1);
  });
});

describe('platform changes', () => {
  async function freshOrder(externalId: string): Promise<string> {
    const [r] = await importOk([orderInput({ externalId })]);
    return r.order!.id;
  }

  it('hold and release reassess in the same transaction and push to the seller', async () => {
    const orderId = await freshOrder('hold-1');
    const client = wsClient(server, server.tokens.seller[0]);
    const live = subscribe(client, SellerOrderUpdatedDocument, {});
    // graphql-ws has no "subscribed" acknowledgement: wait until the server holds the listener.
    for (let i = 0; i < 100 && server.listeners('seller:orders', 1) === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const held = await server.gql(HoldOrderDocument, { input: { orderId } }, platform);
    expect(held.data!.holdOrder.userErrors).toEqual([]);
    expect(held.data!.holdOrder.order!.onHold).toBe(true);
    expect(held.data!.holdOrder.riskAssessment!.reasons.map((r) => r.code)).toContain(
      'PLATFORM_HOLD',
    );
    const pushed = await live.next();
    expect(pushed.data!.sellerOrderUpdated).toMatchObject({
      change: 'HELD',
      order: { id: orderId, onHold: true },
    });
    const released = await server.gql(ReleaseOrderDocument, { input: { orderId } }, platform);
    expect(released.data!.releaseOrder.riskAssessment!.reasons.map((r) => r.code)).not.toContain(
      'PLATFORM_HOLD',
    );
    expect((await live.next()).data!.sellerOrderUpdated.change).toBe('RELEASED');
    await live.close();
    await client.dispose();
  });

  it('changes the ship-to, marking it changed after checkout', async () => {
    const orderId = await freshOrder('ship-1');
    const res = await server.gql(
      ChangeOrderShipToDocument,
      {
        input: {
          orderId,
          shipTo: {
            ...HOME,
            line1: '341 7th Ave',
            line2: 'Apt 4F',
            city: 'Brooklyn',
            region: 'NY',
            postalCode: '11215',
          },
        },
      },
      platform,
    );
    expect(res.data!.changeOrderShipTo.userErrors).toEqual([]);
    expect(res.data!.changeOrderShipTo.order).toMatchObject({
      addressChangedAfterCheckout: true,
      shipTo: { city: 'Brooklyn' },
    });
    const bad = await server.gql(
      ChangeOrderShipToDocument,
      { input: { orderId, shipTo: { ...HOME, postalCode: 'ABC' } } },
      platform,
    );
    expect(bad.data!.changeOrderShipTo.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', 'shipTo', 'postalCode'] }),
    ]);
  });

  it('cancels before a label, and refuses with a code once a label exists', async () => {
    const orderId = await freshOrder('cancel-1');
    const cancelled = await server.gql(CancelOrderDocument, { input: { orderId } }, platform);
    expect(cancelled.data!.cancelOrder.order!.status).toBe('CANCELLED');

    const labeled = await freshOrder('cancel-2');
    await buyLabel(server, server.tokens.seller[0], { orderId: labeled });
    const refused = await server.gql(
      CancelOrderDocument,
      { input: { orderId: labeled } },
      platform,
    );
    expect(refused.data!.cancelOrder.userErrors).toEqual([
      expect.objectContaining({ code: 'ORDER_NOT_CANCELLABLE', field: ['input', 'orderId'] }),
    ]);
  });

  it('are FORBIDDEN to sellers and buyers', async () => {
    const orderId = await freshOrder('perm-1');
    for (const token of [server.tokens.seller[0], server.tokens.buyer[0]]) {
      const res = await server.gql(HoldOrderDocument, { input: { orderId } }, token);
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('finding orders', () => {
  it('by number, by source and external id, and by placed-at range', async () => {
    await importOk(
      [
        {
          ...orderInput({ externalId: 'find-1', number: 'F-1' }),
          placedAt: '2026-06-01T00:00:00.000Z',
        },
        {
          ...orderInput({ externalId: 'find-2', number: 'F-2' }),
          placedAt: '2026-06-03T00:00:00.000Z',
        },
      ],
      'finder',
    );
    const find = async (filter: Record<string, unknown>) =>
      (
        await server.gql(FindOrdersDocument, { filter, first: 50 }, server.tokens.admin)
      ).data!.orders.edges.map((e) => e.node.number);
    expect(await find({ number: 'F-2' })).toEqual(['F-2']);
    expect(await find({ source: 'finder', externalId: 'find-1' })).toEqual(['F-1']);
    expect(
      await find({
        placedAfter: '2026-06-02T00:00:00.000Z',
        placedBefore: '2026-06-04T00:00:00.000Z',
      }),
    ).toEqual(['F-2']);
    expect(await find({ source: 'finder' })).toHaveLength(2);
  });
});
