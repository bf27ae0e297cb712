import { buildSchema, getOperationAST, parse, specifiedRules, validate } from 'graphql';
import { operationCost } from '../src/http/query-cost';
import { singlePurchaseRule } from '../src/http/query-limits';
import { RateLimit } from '../src/http/rate-limit';

/** The pure pieces under the limits: purchase counting, cost, rate limit counters. */

const schema = buildSchema(`
  type Query { orders(first: Int, after: String): OrderConnection!  viewer: Viewer! }
  type Viewer { name: String! }
  type OrderConnection { edges: [OrderEdge!]! }
  type OrderEdge { node: Order! }
  type Order { id: ID! items: [Item!]! lines(first: Int = 5): [Item!]! }
  type Item { sku: String! }
  input PurchaseLabelInput { quoteId: ID! }
  type PurchaseLabelPayload { ok: Boolean! }
  type Mutation {
    purchaseLabel(input: PurchaseLabelInput!): PurchaseLabelPayload!
    acceptSignatureTerms: Boolean!
  }
`);

describe('one purchaseLabel per operation', () => {
  const errorsOf = (query: string) =>
    validate(schema, parse(query), [...specifiedRules, singlePurchaseRule]).map((e) => e.message);
  const buy = (alias: string, quote = 'q1') =>
    `${alias}purchaseLabel(input: { quoteId: "${quote}" }) { ok }`;

  it('lets one purchase through, with other mutations beside it', () => {
    expect(errorsOf(`mutation { ${buy('')} acceptSignatureTerms }`)).toEqual([]);
  });

  it.each([
    ['two aliases', `mutation { ${buy('a: ')} ${buy('b: ', 'q2')} }`],
    [
      'an alias in a named fragment',
      `mutation { ${buy('a: ')} ...More } fragment More on Mutation { ${buy('b: ', 'q2')} }`,
    ],
    [
      'an alias in an inline fragment',
      `mutation { ${buy('a: ')} ... on Mutation { ${buy('b: ', 'q2')} } }`,
    ],
    [
      'two named fragments',
      `mutation { ...A ...B } fragment A on Mutation { ${buy('a: ')} } fragment B on Mutation { ${buy('b: ', 'q2')} }`,
    ],
  ])('refuses two purchases through %s', (_how, query) => {
    expect(errorsOf(query)).toEqual([
      expect.stringMatching(/At most 1 purchaseLabel per operation; found 2/),
    ]);
  });

  it('counts a field graphql-js merges (same response key, same input) once', () => {
    expect(errorsOf(`mutation { ${buy('')} ... on Mutation { ${buy('')} } }`)).toEqual([]);
  });

  it('counts a fragment spread twice once, as graphql-js runs it once', () => {
    expect(errorsOf(`mutation { ...A ...A } fragment A on Mutation { ${buy('a: ')} }`)).toEqual([]);
  });
});

describe('query cost', () => {
  const costOf = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    return operationCost(schema, document, getOperationAST(document)!, variables);
  };

  it("follows graphql-armor's model: objects 2, scalars 1, children x1.5 per level", () => {
    // viewer: 2 + 1.5 × name(1)
    expect(costOf('{ viewer { name } }')).toBe(3.5);
  });

  it('multiplies a page by its size, however the size is given', () => {
    const literal = costOf('{ orders(first: 50) { edges { node { id } } } }');
    expect(
      costOf('query($n: Int) { orders(first: $n) { edges { node { id } } } }', { n: 50 }),
    ).toBe(literal);
    expect(costOf('query($n: Int = 50) { orders(first: $n) { edges { node { id } } } }')).toBe(
      literal,
    );
    expect(literal).toBe(50 * costOf('{ orders(first: 1) { edges { node { id } } } }'));
  });

  it('counts a page without `first` at the default size, 20, or the schema default', () => {
    expect(costOf('{ orders { edges { node { id } } } }')).toBe(
      costOf('{ orders(first: 20) { edges { node { id } } } }'),
    );
    expect(costOf('{ orders(first: 1) { edges { node { lines { sku } } } } }')).toBe(
      costOf('{ orders(first: 1) { edges { node { lines(first: 5) { sku } } } } }'),
    );
  });

  it('costs a fragment the same as the fields written in place', () => {
    expect(
      costOf(
        '{ orders(first: 3) { edges { node { ...O } } } } fragment O on Order { id items { sku } }',
      ),
    ).toBe(costOf('{ orders(first: 3) { edges { node { id items { sku } } } } }'));
    expect(costOf('{ orders(first: 3) { edges { node { ... on Order { id } } } } }')).toBe(
      costOf('{ orders(first: 3) { edges { node { id } } } }'),
    );
  });

  it('charges nothing for introspection', () => {
    expect(costOf('{ __schema { types { name } } }')).toBe(0);
  });
});

describe('rate limit counters (in memory, as without REDIS_URL)', () => {
  afterEach(() => jest.useRealTimers());

  it('lets the points of a window through, then refuses with the wait', async () => {
    const limit = new RateLimit({ name: 't', points: 3, seconds: 60 });
    const takes = [await limit.take('a'), await limit.take('a'), await limit.take('a')];
    expect(takes.map((t) => t.ok)).toEqual([true, true, true]);
    const refused = await limit.take('a');
    expect(refused.ok).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('starts a new window once the last one is over', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const limit = new RateLimit({ name: 't', points: 2, seconds: 1 });
    expect((await limit.take('a', 2)).ok).toBe(true);
    expect((await limit.take('a')).ok).toBe(false);
    jest.advanceTimersByTime(1001);
    expect((await limit.take('a', 2)).ok).toBe(true);
    expect((await limit.take('a')).ok).toBe(false);
  });

  it('keeps each key apart', async () => {
    const limit = new RateLimit({ name: 't', points: 1, seconds: 60 });
    expect((await limit.take('a')).ok).toBe(true);
    expect((await limit.take('a')).ok).toBe(false);
    expect((await limit.take('b')).ok).toBe(true);
  });

  it('takes nothing from a refused request', async () => {
    const limit = new RateLimit({ name: 't', points: 10, seconds: 60 });
    expect((await limit.take('a', 8)).ok).toBe(true);
    expect((await limit.take('a', 5)).ok).toBe(false);
    expect((await limit.take('a', 2)).ok).toBe(true);
  });

  it('refuses a cost above the window, naming the wait', async () => {
    const limit = new RateLimit({ name: 't', points: 10, seconds: 5 });
    const refused = await limit.take('a', 50);
    expect(refused.ok).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(5);
  });
});
