import { buildFixtures } from '../seeds/fixtures';
import { Order, RiskAssessment } from '../src/entities';
import { fromGlobalId } from '../src/core/global-id';
import {
  OrdersWithLabelsDocument,
  RiskOrdersDocument,
  RiskSettingsDocument,
  UpdateOrderRiskInputsDocument,
  UpdateRiskSettingsFullDocument,
  ViewerDocument,
} from './generated/operations';
import type { OrderFilter, RiskOrdersQuery } from './generated/operations';
import { buyLabel } from './support/labels';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

type OrderNode = RiskOrdersQuery['orders']['edges'][number]['node'];

/** The seeds' past delivered orders behind the claim history (seeds/claims.ts), not fixtures. */
const isClaimHistory = (o: { number: string }) => o.number.startsWith('CS-H');

async function ordersOf(token: string, filter: Record<string, unknown> = {}): Promise<OrderNode[]> {
  const res = await server.gql(RiskOrdersDocument, { first: 100, filter }, token);
  expect(res.errors).toBeUndefined();
  return res.data!.orders.edges.map((e) => e.node);
}

describe('seeded orders', () => {
  it('each have a current assessment whose reasons are the signals the order was written with', async () => {
    const orders = (await ordersOf(server.tokens.admin)).filter((o) => !isClaimHistory(o));
    const fixtures = buildFixtures();
    expect(orders).toHaveLength(fixtures.orders.length);
    for (const order of orders) {
      const expected = fixtures.orders.find((o) => o.number === order.number)!;
      const codes = order.riskAssessment!.reasons.map((r) => r.code);
      expect({ number: order.number, codes: [...codes].sort() }).toEqual({
        number: order.number,
        codes: [...expected.signals].sort(),
      });
    }
  });

  it('keep the inputs, thresholds and rule-set version of every assessment for audit', async () => {
    const rows = await server.db.manager.find(RiskAssessment, { where: { isCurrent: true } });
    // One current assessment per order, the claim history's past orders included.
    expect(rows.length).toBe(await server.db.manager.count(Order));
    expect(rows.length).toBeGreaterThan(buildFixtures().orders.length);
    for (const row of rows) {
      expect(row.rulesetVersion).toMatch(/\S/);
      expect(row.inputs).toMatchObject({
        input: { totalMinor: expect.any(Number), buyer: expect.any(Object) },
        thresholds: { highValueMinor: 75_000, recommendScore: 40 },
      });
    }
  });

  it('recommend adult signature for every order with an age-restricted item', async () => {
    const orders = (await ordersOf(server.tokens.admin)).filter((o) => !isClaimHistory(o));
    const fixtures = buildFixtures();
    for (const order of orders) {
      const fixture = fixtures.orders.find((o) => o.number === order.number)!;
      if (fixture.items.some((i) => i.ageRestricted)) {
        expect(order.riskAssessment?.recommendedSignature).toBe('ADULT_SIGNATURE_REQUIRED');
      }
    }
  });
});

describe('filtering orders by risk', () => {
  it('lists only HIGH orders for riskLevel HIGH', async () => {
    const all = await ordersOf(server.tokens.seller[0]);
    const high = await ordersOf(server.tokens.seller[0], { riskLevel: 'HIGH' });
    expect(high.length).toBeGreaterThan(0);
    expect(high.map((o) => o.id).sort()).toEqual(
      all
        .filter((o) => o.riskAssessment?.level === 'HIGH')
        .map((o) => o.id)
        .sort(),
    );
  });

  it('lists every age-restricted order in the default needs-signature view (riskLevel HIGH)', async () => {
    const fixtures = buildFixtures();
    const ageRestricted = fixtures.orders.filter((o) => o.items.some((i) => i.ageRestricted));
    expect(ageRestricted.length).toBeGreaterThan(0);
    const view: OrderNode[] = [];
    for (const token of server.tokens.seller) {
      view.push(...(await ordersOf(token, { riskLevel: 'HIGH' })));
    }
    const numbers = new Set(view.map((o) => o.number));
    for (const fixture of ageRestricted) expect(numbers).toContain(fixture.number);
    for (const order of view.filter((o) => ageRestricted.some((f) => f.number === o.number))) {
      expect(order.riskAssessment?.recommendedSignature).toBe('ADULT_SIGNATURE_REQUIRED');
    }
  });

  it('splits orders by whether a signature is recommended', async () => {
    const token = server.tokens.seller[1];
    const all = await ordersOf(token);
    const yes = await ordersOf(token, { signatureRecommended: true });
    const no = await ordersOf(token, { signatureRecommended: false });
    expect(yes.every((o) => o.riskAssessment?.recommendedSignature !== 'NONE')).toBe(true);
    expect(no.every((o) => o.riskAssessment?.recommendedSignature === 'NONE')).toBe(true);
    expect(yes.length).toBeGreaterThan(0);
    expect(yes.length + no.length).toBe(all.length);
  });

  it('combines the risk filter with status and totalCount', async () => {
    const res = await server.gql(
      RiskOrdersDocument,
      { first: 2, filter: { riskLevel: 'HIGH', status: 'CANCELLED' } },
      server.tokens.seller[0],
    );
    const nodes = res.data!.orders.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((o) => o.status === 'CANCELLED' && o.riskAssessment?.level === 'HIGH')).toBe(
      true,
    );
    expect(res.data!.orders.totalCount).toBeGreaterThanOrEqual(nodes.length);
  });
});

describe('who sees the assessment', () => {
  it("shows a buyer their orders but not the seller's risk assessment or label", async () => {
    const res = await server.gql(OrdersWithLabelsDocument, { first: 100 }, server.tokens.buyer[0]);
    const orders = res.data!.orders.edges.map((e) => e.node);
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((o) => o.riskAssessment === null && o.label === null)).toBe(true);
  });

  it('refuses a buyer the risk filters, which would reveal the assessment it cannot read', async () => {
    const filters: OrderFilter[] = [{ riskLevel: 'HIGH' }, { signatureRecommended: true }];
    for (const filter of filters) {
      const res = await server.gql(
        RiskOrdersDocument,
        { first: 100, filter },
        server.tokens.buyer[0],
      );
      expect(res.data).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    // The status filter stays theirs.
    const own = await ordersOf(server.tokens.buyer[0], { status: 'AWAITING_SHIPMENT' });
    expect(own.every((o) => o.riskAssessment === null)).toBe(true);
  });

  it("shows the seller and platform staff the seller's assessments", async () => {
    const [own] = await ordersOf(server.tokens.seller[0]);
    expect(own.riskAssessment).not.toBeNull();
    const asAdmin = await ordersOf(server.tokens.admin);
    expect(asAdmin.every((o) => o.riskAssessment !== null)).toBe(true);
  });
});

describe('updateRiskSettings', () => {
  it('starts from the defaults', async () => {
    const res = await server.gql(RiskSettingsDocument, {}, server.tokens.seller[2]);
    expect(res.data?.riskSettings).toMatchObject({
      highValueThreshold: { amount: '750.00', currencyCode: 'USD' },
      elevatedValueThreshold: { amount: '250.00' },
      recommendScore: 40,
      newAccountDays: 30,
      isDefault: true,
    });
  });

  it("reassesses the seller's orders awaiting shipment and says how many changed level", async () => {
    const token = server.tokens.seller[2];
    const before = await ordersOf(token, { status: 'AWAITING_SHIPMENT' });
    const retiredBefore = await server.db.manager.count(RiskAssessment, {
      where: { isCurrent: false },
    });
    const res = await server.gql(
      UpdateRiskSettingsFullDocument,
      { input: { highValueThreshold: '100.00', elevatedValueThreshold: '50.00' } },
      token,
    );
    expect(res.data?.updateRiskSettings.userErrors).toEqual([]);
    const payload = res.data!.updateRiskSettings;
    expect(payload.riskSettings).toMatchObject({
      highValueThreshold: { amount: '100.00' },
      recommendScore: 40,
      isDefault: false,
    });
    expect(payload.reassessedOrders).toBe(before.length);
    const after = await ordersOf(token, { status: 'AWAITING_SHIPMENT' });
    const changed = after.filter(
      (o) => o.riskAssessment!.level !== before.find((b) => b.id === o.id)!.riskAssessment!.level,
    );
    expect(payload.levelChangedOrders).toBe(changed.length);
    expect(changed.length).toBeGreaterThan(0);
    for (const order of after) {
      if (Number(order.totals.total.amount) >= 100)
        expect(order.riskAssessment?.level).toBe('HIGH');
    }
    // Another seller's orders were not reassessed: one assessment retired per order of this one.
    const retired = await server.db.manager.count(RiskAssessment, { where: { isCurrent: false } });
    expect(retired - retiredBefore).toBe(before.length);
    const settings = await server.gql(RiskSettingsDocument, {}, token);
    expect(settings.data?.riskSettings.highValueThreshold.amount).toBe('100.00');
  });

  it('refuses thresholds out of range, naming the field, and changes nothing', async () => {
    const token = server.tokens.seller[1];
    const res = await server.gql(
      UpdateRiskSettingsFullDocument,
      { input: { elevatedValueThreshold: '900.00', recommendScore: 0 } },
      token,
    );
    const errors = res.data!.updateRiskSettings.userErrors;
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['INVALID_INPUT', ['input', 'elevatedValueThreshold']],
      ['INVALID_INPUT', ['input', 'recommendScore']],
    ]);
    const malformed = await server.gql(
      UpdateRiskSettingsFullDocument,
      { input: { highValueThreshold: '7,50' } },
      token,
    );
    expect(malformed.data?.updateRiskSettings.userErrors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: ['input', 'highValueThreshold'],
    });
    const settings = await server.gql(RiskSettingsDocument, {}, token);
    expect(settings.data?.riskSettings.isDefault).toBe(true);
  });

  it('is for sellers only', async () => {
    const res = await server.gql(
      UpdateRiskSettingsFullDocument,
      { input: { recommendScore: 30 } },
      server.tokens.buyer[0],
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('updateOrderRiskInputs (platform staff)', () => {
  it('reassesses the order at once and keeps the earlier assessment for audit', async () => {
    const quiet = (await ordersOf(server.tokens.seller[0], { riskLevel: 'LOW' }))[0];
    const res = await server.gql(
      UpdateOrderRiskInputsDocument,
      { input: { orderId: quiet.id, onHold: true, addressChangedAfterCheckout: true } },
      server.tokens.admin,
    );
    expect(res.data?.updateOrderRiskInputs.userErrors).toEqual([]);
    const payload = res.data!.updateOrderRiskInputs;
    expect(payload.order).toMatchObject({ onHold: true, addressChangedAfterCheckout: true });
    expect(payload.riskAssessment?.level).toBe('HIGH');
    expect(payload.riskAssessment?.reasons.map((r) => r.code).sort()).toEqual([
      'ADDRESS_CHANGED_AFTER_CHECKOUT',
      'PLATFORM_HOLD',
    ]);
    const [seen] = (await ordersOf(server.tokens.seller[0], { riskLevel: 'HIGH' })).filter(
      (o) => o.id === quiet.id,
    );
    expect(seen.riskAssessment?.level).toBe('HIGH');
    const rows = await server.db.manager.find(RiskAssessment, {
      where: { orderId: fromGlobalId(quiet.id, 'Order') },
      order: { id: 'ASC' },
    });
    // The seeded order's earlier assessments (at its import, at seeding) stay, no longer current.
    expect(rows.slice(-2).map((r) => [r.level, r.isCurrent])).toEqual([
      ['LOW', false],
      ['HIGH', true],
    ]);
    expect(rows.filter((r) => r.isCurrent)).toHaveLength(1);
  });

  it('refuses sellers, and reports a malformed or unknown order id', async () => {
    const [order] = await ordersOf(server.tokens.seller[0]);
    const seller = await server.gql(
      UpdateOrderRiskInputsDocument,
      { input: { orderId: order.id, onHold: true } },
      server.tokens.seller[0],
    );
    expect(seller.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const viewer = await server.gql(ViewerDocument, {}, server.tokens.seller[0]);
    const wrongType = await server.gql(
      UpdateOrderRiskInputsDocument,
      { input: { orderId: viewer.data!.viewer.seller!.id, onHold: true } },
      server.tokens.admin,
    );
    expect(wrongType.data?.updateOrderRiskInputs.userErrors[0].code).toBe('INVALID_ID');
    const missing = await server.gql(
      UpdateOrderRiskInputsDocument,
      { input: { orderId: Buffer.from('Order:99999').toString('base64url'), onHold: true } },
      server.tokens.admin,
    );
    expect(missing.data?.updateOrderRiskInputs.userErrors[0].code).toBe('ORDER_NOT_FOUND');
  });
});

describe('batched loading of risk, labels and shipments', () => {
  it('runs the same number of SQL statements for 10 and 50 orders', async () => {
    // A few labels (no signature: no terms needed) so the label and shipment loaders find rows.
    const seller = server.tokens.seller[0];
    const awaiting = await ordersOf(seller, { status: 'AWAITING_SHIPMENT' });
    for (const order of awaiting.slice(0, 3)) {
      await buyLabel(server, seller, {
        orderId: order.id,
        signatureOption: 'NONE',
        idempotencyKey: `batch-${order.id}`,
      });
    }
    const token = server.tokens.admin;
    await server.gql(ViewerDocument, {}, token);
    const count = async (first: number) => {
      const { result, statements } = await server.sql.measure(() =>
        server.gql(OrdersWithLabelsDocument, { first }, token),
      );
      expect(result.data?.orders.edges).toHaveLength(first);
      return { statements, labels: result.data!.orders.edges.filter((e) => e.node.label).length };
    };
    const ten = await count(10);
    const fifty = await count(50);
    expect(fifty.labels).toBeGreaterThan(0);
    expect(fifty.statements).toBe(ten.statements);
  });
});

describe('reassessing', () => {
  it('leaves exactly one current assessment per order when settings and order inputs change at once', async () => {
    const token = server.tokens.seller[1];
    const viewer = await server.gql(ViewerDocument, {}, token);
    const sellerId = fromGlobalId(viewer.data!.viewer.seller!.id, 'Seller');
    const [target] = await ordersOf(token, { status: 'AWAITING_SHIPMENT' });
    // PostgreSQL runs these side by side (SQLite queues its writers); several rounds make a race
    // between a seller-wide and a one-order reassessment likely.
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 2 === 0
          ? server
              .gql(UpdateRiskSettingsFullDocument, { input: { recommendScore: 30 + i } }, token)
              .then((r) => r.errors ?? r.data!.updateRiskSettings.userErrors)
          : server
              .gql(
                UpdateOrderRiskInputsDocument,
                { input: { orderId: target.id, onHold: i % 4 === 1 } },
                server.tokens.admin,
              )
              .then((r) => r.errors ?? r.data!.updateOrderRiskInputs.userErrors),
      ),
    );
    expect(results.flat()).toEqual([]);
    const current = await server.db.manager.find(RiskAssessment, {
      where: { sellerId, isCurrent: true },
    });
    const perOrder = new Map<number, number>();
    for (const row of current) perOrder.set(row.orderId, (perOrder.get(row.orderId) ?? 0) + 1);
    expect([...perOrder.values()].filter((n) => n !== 1)).toEqual([]);
    expect(perOrder.get(fromGlobalId(target.id, 'Order'))).toBe(1);
  });

  it('leaves the value rules out for an order in another currency than the thresholds', async () => {
    const high = (await ordersOf(server.tokens.seller[0], { riskLevel: 'HIGH' })).find(
      (o) =>
        o.riskAssessment!.reasons.length === 1 &&
        o.riskAssessment!.reasons[0].code === 'ORDER_VALUE_HIGH',
    )!;
    await server.db.manager.update(
      Order,
      { id: fromGlobalId(high.id, 'Order') },
      { currency: 'CAD' },
    );
    const res = await server.gql(
      UpdateOrderRiskInputsDocument,
      { input: { orderId: high.id, onHold: false } },
      server.tokens.admin,
    );
    expect(res.data?.updateOrderRiskInputs.riskAssessment).toMatchObject({
      level: 'LOW',
      reasons: [],
    });
  });
});
