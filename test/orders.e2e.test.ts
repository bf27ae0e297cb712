import {
  CarrierServicesDocument,
  NodeByIdDocument,
  OrderByIdDocument,
  OrdersPageDocument,
  ViewerDocument,
} from './generated/operations';
import type { OrdersPageQuery } from './generated/operations';
import { startTestServer } from './support/test-server';
import type { GraphQLResponse, TestServer } from './support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('authentication', () => {
  it('refuses a request with no token with UNAUTHENTICATED', async () => {
    const res = await server.gql(ViewerDocument, {}, null);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown token with UNAUTHENTICATED', async () => {
    const res = await server.gql(ViewerDocument, {}, 'cs_dev_seller_1_0000000000000000');
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('tells a seller who it is', async () => {
    const res = await server.gql(ViewerDocument, {}, server.tokens.seller[0]);
    expect(res.errors).toBeUndefined();
    expect(res.data?.viewer.role).toBe('SELLER');
    expect(res.data?.viewer.seller?.name).toEqual(expect.any(String));
    expect(res.data?.viewer.buyer).toBeNull();
  });
});

describe('orders', () => {
  it("lists only the seller's own orders", async () => {
    const me = await server.gql(ViewerDocument, {}, server.tokens.seller[0]);
    const res = await server.gql(OrdersPageDocument, { first: 100 }, server.tokens.seller[0]);
    const edges = res.data?.orders.edges ?? [];
    expect(edges.length).toBeGreaterThan(10);
    expect(new Set(edges.map((e) => e.node.seller.id))).toEqual(
      new Set([me.data?.viewer.seller?.id]),
    );
    expect(res.data?.orders.totalCount).toBe(edges.length);
  });

  it("lists only the buyer's own orders", async () => {
    const me = await server.gql(ViewerDocument, {}, server.tokens.buyer[0]);
    const res = await server.gql(OrdersPageDocument, { first: 100 }, server.tokens.buyer[0]);
    const edges = res.data?.orders.edges ?? [];
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.every((e) => e.node.buyer.id === me.data?.viewer.buyer?.id)).toBe(true);
  });

  it('pages with first/after without gaps or repeats', async () => {
    const token = server.tokens.admin;
    const all = await server.gql(OrdersPageDocument, { first: 100 }, token);
    const seen: string[] = [];
    let after: string | null | undefined = null;
    for (;;) {
      const page: GraphQLResponse<OrdersPageQuery> = await server.gql(
        OrdersPageDocument,
        { first: 7, after },
        token,
      );
      seen.push(...(page.data?.orders.edges ?? []).map((e) => e.node.id));
      if (!page.data?.orders.pageInfo.hasNextPage) break;
      after = page.data.orders.pageInfo.endCursor;
    }
    expect(seen).toEqual((all.data?.orders.edges ?? []).map((e) => e.node.id));
  });

  it('refuses a page size over 100', async () => {
    const res = await server.gql(OrdersPageDocument, { first: 101 }, server.tokens.seller[0]);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a malformed cursor', async () => {
    const res = await server.gql(OrdersPageDocument, { after: 'bm9wZQ' }, server.tokens.seller[0]);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('shows money as decimal strings with a currency', async () => {
    const res = await server.gql(OrdersPageDocument, { first: 5 }, server.tokens.seller[0]);
    const total = res.data?.orders.edges[0]?.node.totals.total;
    expect(total?.amount).toMatch(/^\d+\.\d{2}$/);
    expect(total?.currencyCode).toBe('USD');
  });
});

describe('tenancy', () => {
  it("reads another seller's order as not found, through order(id) and node(id)", async () => {
    const theirs = await server.gql(OrdersPageDocument, { first: 1 }, server.tokens.seller[1]);
    const id = theirs.data?.orders.edges[0]?.node.id as string;
    const byId = await server.gql(OrderByIdDocument, { id }, server.tokens.seller[0]);
    expect(byId.errors).toBeUndefined();
    expect(byId.data?.order).toBeNull();
    const byNode = await server.gql(NodeByIdDocument, { id }, server.tokens.seller[0]);
    expect(byNode.data?.node).toBeNull();
    const own = await server.gql(NodeByIdDocument, { id }, server.tokens.seller[1]);
    expect(own.data?.node).toMatchObject({ id, __typename: 'Order' });
  });

  it('rejects an id of another type on a typed argument', async () => {
    const services = await server.gql(CarrierServicesDocument, {}, server.tokens.seller[0]);
    const serviceId = services.data?.carrierServices[0]?.id as string;
    const res = await server.gql(OrderByIdDocument, { id: serviceId }, server.tokens.seller[0]);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('batched loading', () => {
  it('runs the same number of SQL statements for 10 and 50 orders', async () => {
    const token = server.tokens.admin;
    await server.gql(ViewerDocument, {}, token); // warm the token lookup path
    const count = async (first: number) => {
      const { result, statements } = await server.sql.measure(() =>
        server.gql(OrdersPageDocument, { first }, token),
      );
      expect(result.data?.orders.edges).toHaveLength(first);
      return statements;
    };
    const ten = await count(10);
    const fifty = await count(50);
    expect(fifty).toBe(ten);
    // token, page, count, items, buyers, sellers, addresses
    expect(fifty).toBeLessThanOrEqual(7);
  });
});

describe('carrier catalog', () => {
  it('lists services with each signature option, its carrier code and fee', async () => {
    const res = await server.gql(CarrierServicesDocument, {}, server.tokens.seller[0]);
    const ground = res.data?.carrierServices.find((s) => s.code === 'USPS_GROUND_ADVANTAGE');
    const adult = ground?.signatureOptions.find((o) => o.option === 'ADULT_SIGNATURE_REQUIRED');
    expect(adult).toMatchObject({ supported: true, carrierCode: '922' });
    expect(adult?.fee.amount).toMatch(/^\d+\.\d{2}$/);
    const saver = res.data?.carrierServices.find((s) => s.code === 'UPS_GROUND_SAVER');
    const sig = saver?.signatureOptions.find((o) => o.option === 'SIGNATURE_REQUIRED');
    expect(sig?.supported).toBe(false);
    expect(sig?.unavailableReason).toEqual(expect.any(String));
  });
});
