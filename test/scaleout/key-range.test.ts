import { MAX_SERIAL } from '../../src/core/global-id';
import { NodeByIdDocument, OrderByIdDocument, OrdersPageDocument } from '../generated/operations';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/**
 * Keys are 32-bit SERIAL columns. SQLite finds nothing for a larger number; PostgreSQL rejects
 * the comparison outright, which surfaced as INTERNAL_SERVER_ERROR until ids and cursors were
 * range-checked on decoding.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const globalId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64url');
const cursor = (id: number) => Buffer.from(`2026-01-01T00:00:00.000Z|${id}`).toString('base64url');

describe('ids beyond the key range on PostgreSQL', () => {
  it('reads a global id past the largest key as not found', async () => {
    const token = server.tokens.admin;
    const id = globalId('Order', MAX_SERIAL + 1);
    const viaNode = await server.gql(NodeByIdDocument, { id }, token);
    expect(viaNode).toEqual({ data: { node: null }, extensions: { cost: expect.any(Object) } });
    const viaOrder = await server.gql(OrderByIdDocument, { id }, token);
    expect(viaOrder.errors?.map((e) => e.extensions?.code) ?? []).not.toContain(
      'INTERNAL_SERVER_ERROR',
    );
    expect(viaOrder.data?.order ?? null).toBeNull();
  });

  it('takes the largest key as a well-formed id (null: no such order)', async () => {
    const res = await server.gql(
      NodeByIdDocument,
      { id: globalId('Order', MAX_SERIAL) },
      server.tokens.admin,
    );
    expect(res).toEqual({ data: { node: null }, extensions: { cost: expect.any(Object) } });
  });

  it('refuses a page cursor past the largest key as bad input', async () => {
    const res = await server.gql(
      OrdersPageDocument,
      { first: 5, after: cursor(MAX_SERIAL + 1) },
      server.tokens.admin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const ok = await server.gql(
      OrdersPageDocument,
      { first: 5, after: cursor(MAX_SERIAL) },
      server.tokens.admin,
    );
    expect(ok.errors).toBeUndefined();
  });
});
