import { ApolloServer } from '@apollo/server';
import {
  GraphQLError,
  GraphQLInt,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  getOperationAST,
} from 'graphql';
import * as jit from 'graphql-jit';
import { jitGateway } from '../src/http/jit-executor';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

// Counts graphql-jit compilations (by operation name) without touching the product code.
jest.mock('graphql-jit', () => {
  const actual = jest.requireActual<typeof import('graphql-jit')>('graphql-jit');
  return { ...actual, compileQuery: jest.fn(actual.compileQuery) };
});
const compileQuery = jit.compileQuery as jest.MockedFunction<typeof jit.compileQuery>;
const compilesOf = (name: string) =>
  compileQuery.mock.calls.filter((c) => getOperationAST(c[1])?.name?.value === name).length;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** POSTs an operation; the status and the JSON body as a client sees them. */
async function post(query: string, variables: Record<string, unknown>, token?: string) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The same request three times: graphql-js, then compiled, then compiled again. */
async function thrice(query: string, variables: Record<string, unknown>, token?: string) {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await post(query, variables, token));
  return runs;
}

const DASHBOARD = `query JitDashboard($first: Int!) {
  viewer { __typename }
  orders(first: $first) {
    pageInfo { hasNextPage endCursor }
    nodes {
      __typename id number status placedAt
      totals { total { amount currencyCode } }
      buyer { id name }
      items { id sku quantity ageRestricted unitPrice { amount currencyCode } }
      riskAssessment { score level recommendedSignature reasons { code message weight } }
      label { id trackingNumber carrier signatureOption status }
      shipment { id status estimatedDeliveryAt }
    }
  }
}`;

describe('operations executed through graphql-jit', () => {
  it('answer a repeated page identically on the first (graphql-js) and later (compiled) runs', async () => {
    const runs = await thrice(DASHBOARD, { first: 20 }, server.tokens.seller[0]);
    const [first] = runs;
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    const orders = (first.body.data as { orders: { nodes: unknown[] } }).orders.nodes;
    expect(orders).toHaveLength(20);
    for (const run of runs) expect(run).toEqual(first);
  });

  it('compile a document once, on its second run, not per request', async () => {
    await thrice(DASHBOARD, { first: 5 }, server.tokens.seller[0]);
    // Across the two tests six requests of JitDashboard: one compilation.
    expect(compilesOf('JitDashboard')).toBe(1);
    const fresh = `query JitOnce { viewer { __typename } }`;
    await post(fresh, {}, server.tokens.seller[0]);
    expect(compilesOf('JitOnce')).toBe(0);
    await post(fresh, {}, server.tokens.seller[0]);
    expect(compilesOf('JitOnce')).toBe(1);
  });

  it('leave interfaces with async resolveType (node, nodes) to graphql-js, answering the same', async () => {
    const page = await post(
      'query JitIds { orders(first: 3) { nodes { id } } }',
      {},
      server.tokens.seller[0],
    );
    const ids = (page.body.data as { orders: { nodes: Array<{ id: string }> } }).orders.nodes.map(
      (n) => n.id,
    );
    const query = `query JitNodes($id: ID!, $ids: [ID!]!) {
      node(id: $id) { __typename id ... on Order { number status placedAt } }
      nodes(ids: $ids) { __typename id ... on Order { number placedAt } }
    }`;
    const runs = await thrice(
      query,
      { id: ids[0], ids: [...ids, 'T3JkZXI6OTk5OTk5'] },
      server.tokens.seller[0],
    );
    const data = runs[0].body.data as { node: { __typename: string }; nodes: unknown[] };
    expect(data.node.__typename).toBe('Order');
    expect(data.nodes).toHaveLength(4);
    expect(data.nodes[3]).toBeNull();
    for (const run of runs) expect(run).toEqual(runs[0]);
    expect(compilesOf('JitNodes')).toBe(0);
  });

  it('leave variables and aliases named like Object.prototype members to graphql-js', async () => {
    // graphql-jit would read an absent $constructor as the Object function, and lose the alias.
    const query = `query JitPrototype($constructor: Int = 2) {
      orders(first: $constructor) { __proto__: nodes { id } constructor: nodes { id } }
    }`;
    const runs = await thrice(query, {}, server.tokens.seller[0]);
    const orders = (runs[0].body.data as { orders: Record<string, unknown[]> }).orders;
    expect(Object.keys(orders)).toEqual(['__proto__', 'constructor']);
    expect(orders.constructor).toHaveLength(2);
    for (const run of runs) expect(run).toEqual(runs[0]);
    expect(compilesOf('JitPrototype')).toBe(0);
  });

  it('give a refused field the same FORBIDDEN error, path, locations and null bubbling', async () => {
    const query = `query JitForbidden {
      viewer { __typename }
      carrierInquiries(first: 1) { pageInfo { hasNextPage } }
    }`;
    const runs = await thrice(query, {}, server.tokens.seller[0]);
    expect(runs[0].body).toEqual({
      extensions: expect.anything(),
      data: null,
      errors: [
        expect.objectContaining({
          path: ['carrierInquiries'],
          locations: [{ line: 3, column: 7 }],
          extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
        }),
      ],
    });
    for (const run of runs) expect(run).toEqual(runs[0]);
    expect(compilesOf('JitForbidden')).toBe(1);
  });

  it('refuse badly typed variables with the same 400 BAD_USER_INPUT both before and after compiling', async () => {
    const query = `query JitVariables($first: Int!, $from: DateTime!, $to: DateTime!) {
      orders(first: $first) { nodes { id } }
      sellerSignatureSummary(from: $from, to: $to) { __typename }
    }`;
    const good = { first: 1, from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' };
    const token = server.tokens.seller[0];
    // Compiled by its second good run; the bad ones then meet the compiled plan.
    const [ok] = await thrice(query, good, token);
    expect(ok.status).toBe(200);
    expect(compilesOf('JitVariables')).toBe(1);
    const badInt = await post(query, { ...good, first: 'ten' }, token);
    const badDate = await post(query, { ...good, from: 'yesterday' }, token);
    for (const bad of [badInt, badDate]) {
      expect(bad.status).toBe(400);
      expect(bad.body.data).toBeUndefined();
      expect(bad.body.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/^Variable "\$(first|from)" got invalid value/),
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      ]);
    }
    // The same bad variables on fresh documents (first runs: graphql-js) answer the same (names
    // of the same length keep the locations).
    const fresh = (name: string) => query.replace('JitVariables', name);
    expect(await post(fresh('JitFreshInt1'), { ...good, first: 'ten' }, token)).toEqual(badInt);
    expect(await post(fresh('JitFreshDate'), { ...good, from: 'yesterday' }, token)).toEqual(
      badDate,
    );
    expect(compilesOf('JitFreshInt1') + compilesOf('JitFreshDate')).toBe(0);
  });
});

describe('the graphql-jit gateway under apollo.executeOperation', () => {
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        double: {
          type: new GraphQLNonNull(GraphQLInt),
          args: { n: { type: new GraphQLNonNull(GraphQLInt) } },
          resolve: (_root, args: { n: number }) => args.n * 2,
        },
        secret: {
          type: GraphQLString,
          resolve: () => {
            throw new GraphQLError('Not yours.', { extensions: { code: 'FORBIDDEN' } });
          },
        },
      },
    }),
  });
  const apollo = new ApolloServer({ gateway: jitGateway(schema) });
  beforeAll(() => apollo.start());
  afterAll(() => apollo.stop());

  it('answers data, field errors and variable errors the same before and after compiling', async () => {
    const query = 'query JitSeam($n: Int!) { double(n: $n) secret }';
    const run = async (variables: Record<string, unknown>) => {
      const { http, body } = await apollo.executeOperation({ query, variables });
      return { status: http.status, body };
    };
    const first = await run({ n: 21 });
    expect(first.body).toEqual({
      kind: 'single',
      singleResult: {
        data: { double: 42, secret: null },
        errors: [
          {
            message: 'Not yours.',
            locations: [{ line: 1, column: 41 }],
            path: ['secret'],
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      },
    });
    expect(await run({ n: 21 })).toEqual(first);
    expect(compilesOf('JitSeam')).toBe(1);
    const bad = await run({ n: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      kind: 'single',
      singleResult: {
        errors: [expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } })],
      },
    });
  });
});
