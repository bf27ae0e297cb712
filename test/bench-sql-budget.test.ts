import { addBenchData } from '../bench/seed';
import type { BenchSeller } from '../bench/seed';
import { W1_SELLER_DASHBOARD } from '../bench/operations';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/**
 * The statement budget of the benchmark's W1 query (bench/operations.ts), counted, not timed:
 * SQLite hides N+1 in timings, PostgreSQL does not. The token lookup counts.
 */

interface DashboardOrder {
  id: string;
  items: unknown[];
  riskAssessment: { level: string; reasons: unknown[] } | null;
  label: { trackingNumber: string } | null;
  shipment: { trackingNumber: string; status: string } | null;
}

interface Dashboard {
  orders: { edges: { node: DashboardOrder }[] };
}

let server: TestServer;
let seller: BenchSeller;

beforeAll(async () => {
  server = await startTestServer();
  // One seller with 60 orders, each with a current risk assessment, a label and a shipment.
  const added = await addBenchData(server.db.manager, {
    dashboardSellers: 1,
    ordersPerDashboardSeller: 60,
    poolSellers: 0,
    ordersPerPoolSeller: 0,
  });
  seller = added.dashboardSellers[0];
});
afterAll(() => server.stop());

async function dashboard(first: number) {
  const { result, statements } = await server.sql.measure(() =>
    server.gql<Dashboard>(W1_SELLER_DASHBOARD, { first }, seller.token),
  );
  expect(result.errors).toBeUndefined();
  return { orders: result.data?.orders.edges.map((e) => e.node) ?? [], statements };
}

describe('seller dashboard (W1) SQL budget', () => {
  it('reads 50 orders with risk, items, label and shipment in two statements: token and page', async () => {
    const { orders, statements } = await dashboard(50);
    expect(orders).toHaveLength(50);
    for (const order of orders) {
      expect(order.items.length).toBeGreaterThan(0);
      expect(order.riskAssessment?.level).toEqual(expect.any(String));
      expect(order.label?.trackingNumber).toEqual(order.shipment?.trackingNumber);
    }
    // The budget is 5; the page brings its relations along (OrderService.withChildren).
    expect(statements).toBe(2);
  });

  it('sends as many statements for 10 orders as for 50 (no query per order)', async () => {
    const ten = await dashboard(10);
    const fifty = await dashboard(50);
    expect(ten.orders).toHaveLength(10);
    expect(fifty.orders).toHaveLength(50);
    expect(fifty.statements).toBe(ten.statements);
  });
});
