import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { RelayOrdersDocument } from './generated/operations';
import type { RelayOrdersQuery, RelayOrdersQueryVariables } from './generated/operations';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/**
 * What a React dashboard does: Apollo Client 4 with InMemoryCache and relayStylePagination()
 * on `orders`, over HTTP against a real server, fetching more pages forwards (first/after) and
 * backwards (last/before); the cache merges them into one list.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

function clientFor(token: string) {
  return new ApolloClient({
    link: new HttpLink({ uri: server.url, headers: { authorization: `Bearer ${token}` } }),
    cache: new InMemoryCache({
      typePolicies: {
        Query: { fields: { orders: relayStylePagination(['orderBy']) } },
      },
    }),
  });
}

type Orders = RelayOrdersQuery['orders'];

/**
 * A watched query, as a component holds one: fetchMore on it merges into the cache entry the
 * query reads (relayStylePagination), and `read` returns the merged list.
 */
async function watching(token: string, variables: RelayOrdersQueryVariables) {
  const client = clientFor(token);
  const watch = client.watchQuery({ query: RelayOrdersDocument, variables });
  const subscription = watch.subscribe(() => undefined);
  await client.query({ query: RelayOrdersDocument, variables });
  const read = (): Orders => client.readQuery({ query: RelayOrdersDocument, variables })!.orders;
  return { client, watch, read, stop: () => subscription.unsubscribe() };
}

/** Every order of the seller in one request: what the merged pages must add up to. */
async function allOrderIds(token: string): Promise<string[]> {
  const res = await server.gql(RelayOrdersDocument, { first: 100 }, token);
  return (res.data?.orders.nodes ?? []).map((n) => n.id);
}

describe('Apollo Client relayStylePagination', () => {
  it("pages forwards through all of a seller's orders into one merged list", async () => {
    const token = server.tokens.seller[0];
    const expected = await allOrderIds(token);
    expect(expected.length).toBeGreaterThan(6);
    const { watch, read, stop } = await watching(token, { first: 4 });
    let orders = read();
    let pages = 1;
    while (orders.pageInfo.hasNextPage) {
      await watch.fetchMore({ variables: { first: 4, after: orders.pageInfo.endCursor } });
      orders = read();
      pages += 1;
    }
    stop();
    expect(pages).toBe(Math.ceil(expected.length / 4));
    expect(orders.edges.map((e) => e.node.id)).toEqual(expected);
    expect(orders.pageInfo.hasPreviousPage).toBe(false);
  });

  it('pages backwards from the end with last/before into the same merged list', async () => {
    const token = server.tokens.seller[0];
    const expected = await allOrderIds(token);
    const { watch, read, stop } = await watching(token, { last: 4 });
    let orders = read();
    expect(orders.pageInfo.hasNextPage).toBe(false);
    while (orders.pageInfo.hasPreviousPage) {
      await watch.fetchMore({ variables: { last: 4, before: orders.pageInfo.startCursor } });
      orders = read();
    }
    stop();
    expect(orders.edges.map((e) => e.node.id)).toEqual(expected);
  });

  it('keeps oldest-first pages apart from newest-first ones (orderBy is a key argument)', async () => {
    const token = server.tokens.seller[0];
    const expected = (await allOrderIds(token)).reverse();
    const client = clientFor(token);
    const orderBy = { field: 'PLACED_AT', direction: 'ASC' } as const;
    await client.query({ query: RelayOrdersDocument, variables: { first: 100 } });
    const asc = await client.query({
      query: RelayOrdersDocument,
      variables: { first: 100, orderBy },
    });
    expect((asc.data?.orders as Orders).edges.map((e) => e.node.id)).toEqual(expected);
  });
});
