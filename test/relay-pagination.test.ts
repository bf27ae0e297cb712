import { NodeByIdDocument, NodesByIdsDocument, RelayOrdersDocument } from './generated/operations';
import type { RelayOrdersQuery, RelayOrdersQueryVariables } from './generated/operations';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

type OrdersPage = RelayOrdersQuery['orders'];

async function page(vars: RelayOrdersQueryVariables, token = server.tokens.seller[0]) {
  const res = await server.gql(RelayOrdersDocument, vars, token);
  expect(res.errors).toBeUndefined();
  return res.data?.orders as OrdersPage;
}

/** Every order of the seller, `size` at a time, forwards (first/after) or backwards (last/before). */
async function walk(size: number, backward: boolean) {
  const ids: string[] = [];
  const pages: OrdersPage[] = [];
  let cursor: string | null = null;
  for (;;) {
    const p: OrdersPage = await page(
      backward ? { last: size, before: cursor } : { first: size, after: cursor },
    );
    pages.push(p);
    const pageIds = p.nodes.map((n) => n.id);
    if (backward) ids.unshift(...pageIds);
    else ids.push(...pageIds);
    const more = backward ? p.pageInfo.hasPreviousPage : p.pageInfo.hasNextPage;
    if (!more) break;
    cursor = backward ? p.pageInfo.startCursor : p.pageInfo.endCursor;
  }
  return { ids, pages };
}

describe('connections', () => {
  it('list the same items under nodes as under edges', async () => {
    const p = await page({ first: 5 });
    expect(p.nodes.map((n) => n.id)).toEqual(p.edges.map((e) => e.node.id));
    expect(p.nodes).toHaveLength(5);
  });

  it('page backwards with last/before to the same list as forwards, without gaps or repeats', async () => {
    const all = await page({ first: 100 });
    const forwards = await walk(4, false);
    const backwards = await walk(4, true);
    expect(all.nodes.length).toBeGreaterThan(8);
    expect(forwards.ids).toEqual(all.nodes.map((n) => n.id));
    expect(backwards.ids).toEqual(forwards.ids);
  });

  it('tell truthfully whether items precede and follow a page, in either direction', async () => {
    const { pages: fwd } = await walk(4, false);
    expect(fwd[0].pageInfo.hasPreviousPage).toBe(false);
    for (const p of fwd.slice(1)) expect(p.pageInfo.hasPreviousPage).toBe(true);
    for (const p of fwd.slice(0, -1)) expect(p.pageInfo.hasNextPage).toBe(true);
    expect(fwd[fwd.length - 1].pageInfo.hasNextPage).toBe(false);

    const { pages: back } = await walk(4, true);
    // The first backward page is the end of the list: nothing follows it.
    expect(back[0].pageInfo.hasNextPage).toBe(false);
    for (const p of back.slice(1)) expect(p.pageInfo.hasNextPage).toBe(true);
    expect(back[back.length - 1].pageInfo.hasPreviousPage).toBe(false);
  });

  it('order orders oldest first with orderBy ASC, and newest first by default', async () => {
    const newest = await page({ first: 100 });
    const oldest = await page({ first: 100, orderBy: { field: 'PLACED_AT', direction: 'ASC' } });
    const times = (p: OrdersPage) => p.nodes.map((n) => Date.parse(n.placedAt as string));
    expect(times(newest)).toEqual([...times(newest)].sort((a, b) => b - a));
    expect(times(oldest)).toEqual([...times(oldest)].sort((a, b) => a - b));
    expect(oldest.nodes.map((n) => n.id)).toEqual(newest.nodes.map((n) => n.id).reverse());
  });

  it('page oldest first across cursors too', async () => {
    const orderBy = { field: 'PLACED_AT', direction: 'ASC' } as const;
    const all = await page({ first: 100, orderBy });
    const first = await page({ first: 3, orderBy });
    const next = await page({ first: 3, after: first.pageInfo.endCursor, orderBy });
    const back = await page({ last: 3, before: next.pageInfo.startCursor, orderBy });
    expect([...first.nodes, ...next.nodes].map((n) => n.id)).toEqual(
      all.nodes.slice(0, 6).map((n) => n.id),
    );
    expect(back.nodes.map((n) => n.id)).toEqual(first.nodes.map((n) => n.id));
  });

  it('refuse first and last together with BAD_USER_INPUT', async () => {
    const res = await server.gql(
      RelayOrdersDocument,
      { first: 2, last: 2 },
      server.tokens.seller[0],
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.data).toBeNull();
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['another encoding', Buffer.from('2026-01-01|1').toString('base64url')],
    ['a date that does not exist', Buffer.from('2026-13-45T00:00:00.000Z|1').toString('base64url')],
    [
      'an id past 32 bits',
      Buffer.from('2026-01-01T00:00:00.000Z|99999999999').toString('base64url'),
    ],
    ['a long string', 'A'.repeat(5000)],
  ])('refuse a hostile cursor (%s) with BAD_USER_INPUT', async (_name, cursor) => {
    for (const vars of [{ after: cursor }, { last: 2, before: cursor }]) {
      const res = await server.gql(RelayOrdersDocument, vars, server.tokens.seller[0]);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('nodes(ids:)', () => {
  it('answers each id as node(id) does: yours, null for another seller’s and for unknown ids', async () => {
    const mine = (await page({ first: 2 })).nodes.map((n) => n.id);
    const theirs = (await page({ first: 1 }, server.tokens.seller[1])).nodes[0].id;
    const ids = [mine[0], theirs, 'bm9wZQ', mine[1]];
    const res = await server.gql(NodesByIdsDocument, { ids }, server.tokens.seller[0]);
    expect(res.errors).toBeUndefined();
    expect(res.data?.nodes).toEqual([
      { id: mine[0], __typename: 'Order' },
      null,
      null,
      { id: mine[1], __typename: 'Order' },
    ]);
    for (const [i, id] of ids.entries()) {
      const one = await server.gql(NodeByIdDocument, { id }, server.tokens.seller[0]);
      expect(one.data?.node?.id ?? null).toBe(res.data?.nodes[i]?.id ?? null);
    }
  });

  it('refuses more than 50 ids with BAD_USER_INPUT', async () => {
    const ids = Array.from({ length: 51 }, () => 'bm9wZQ');
    const res = await server.gql(NodesByIdsDocument, { ids }, server.tokens.seller[0]);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses an anonymous caller', async () => {
    const res = await server.gql(NodesByIdsDocument, { ids: [] }, null);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
