import fc from 'fast-check';
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
  type Item { sku: String! items: [Item!]! lines(first: Int): [Item!]! }
  input PurchaseLabelInput { quoteId: ID! }
  type PurchaseLabelPayload { ok: Boolean! }
  type Mutation {
    purchaseLabel(input: PurchaseLabelInput!): PurchaseLabelPayload!
    acceptSignatureTerms: Boolean!
  }
`);

/** Own keys of Object.prototype: variable names that `name in vars` mistook. */
const PROTOTYPE_NAMES = [
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__proto__',
  '__defineGetter__',
  '__lookupSetter__',
];

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
      expect.stringMatching(/At most 1 purchaseLabel or createLabelBatch per operation; found 2/),
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

  it('charges every operation at least 1, introspection and __typename included', () => {
    expect(costOf('{ __typename }')).toBe(1);
    expect(costOf('{ __schema { types { name } } }')).toBe(1);
    expect(costOf('{ __type(name: "Order") { name } }')).toBe(1);
  });

  // A variable named after an Object.prototype key was costed as one item (`name in vars`
  // found the prototype's function), so three pages of 100 passed the limit.
  it.each(PROTOTYPE_NAMES)('reads a page size from a variable named $%s', (name) => {
    const literal = costOf('{ orders(first: 100) { edges { node { id } } } }');
    const query = `query($${name}: Int) { orders(first: $${name}) { edges { node { id } } } }`;
    expect(costOf(query, Object.fromEntries([[name, 100]]))).toBe(literal);
    const byDefault = `query($${name}: Int = 100) { orders(first: $${name}) { edges { node { id } } } }`;
    expect(costOf(byDefault)).toBe(literal);
    // Not sent and no default: execution uses the argument's default, and so does the cost.
    expect(costOf(query)).toBe(costOf('{ orders { edges { node { id } } } }'));
  });

  it('ignores variables the operation does not declare', () => {
    const query = 'query($n: Int = 100) { orders(first: $n) { edges { node { id } } } }';
    expect(costOf(query, { constructor: 1 })).toBe(costOf(query));
  });
});

/**
 * Property: however an operation is written (page sizes as literals, variables or variable
 * defaults, under any name; fields in inline and named fragments, nested and repeated; aliases;
 * @include/@skip on variables), it costs at least what the equivalent literal query costs: the
 * same fields with every page size written in place, fragments inlined and skipped fields gone.
 */
describe('query cost, fuzzed', () => {
  type Sel =
    | { kind: 'scalar'; alias: string | null }
    | { kind: 'items'; alias: string | null; children: Sel[] }
    | { kind: 'lines'; alias: string | null; size: Size | null; children: Sel[] };
  type Size = { n: number; how: 'literal' | 'variable' | 'default'; name: string };
  interface Node {
    sel: Sel;
    wrap: 'none' | 'inline' | 'named';
    /** @include(if: $v) / @skip(if: $v) with the variable's value. */
    directive: { kind: 'include' | 'skip'; name: string; value: boolean } | null;
  }
  interface Op {
    size: Size;
    nodes: Node[];
    /** The root connection written twice under two aliases. */
    twice: boolean;
  }

  const NAMES = [...PROTOTYPE_NAMES, 'n', 'first', 'size', 'x'];
  const alias = fc.option(fc.constantFrom('a', 'b', 'constructor', 'toString', 'c1'), {
    nil: null,
  });
  const size: fc.Arbitrary<Size> = fc.record({
    n: fc.integer({ min: 1, max: 100 }),
    how: fc.constantFrom('literal', 'variable', 'default'),
    name: fc.constantFrom(...NAMES),
  });
  const { sel } = fc.letrec<{ sel: Sel }>((tie) => ({
    sel: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ kind: fc.constant('scalar' as const), alias }),
      fc.record({
        kind: fc.constant('items' as const),
        alias,
        children: fc.array(tie('sel'), { minLength: 1, maxLength: 3 }),
      }),
      fc.record({
        kind: fc.constant('lines' as const),
        alias,
        size: fc.option(size, { nil: null }),
        children: fc.array(tie('sel'), { minLength: 1, maxLength: 3 }),
      }),
    ),
  }));
  const node: fc.Arbitrary<Node> = fc.record({
    sel,
    wrap: fc.constantFrom('none', 'inline', 'named'),
    directive: fc.option(
      fc.record({
        kind: fc.constantFrom('include', 'skip'),
        name: fc.constantFrom(...NAMES),
        value: fc.boolean(),
      }),
      { nil: null },
    ),
  });
  const op: fc.Arbitrary<Op> = fc.record({
    size,
    nodes: fc.array(node, { minLength: 1, maxLength: 4 }),
    twice: fc.boolean(),
  });

  /** Writes the operation as an attacker would, and as the plain literal query. */
  function render(o: Op): { query: string; variables: Record<string, unknown>; literal: string } {
    const declared = new Map<string, { type: string; value: unknown; byDefault: boolean }>();
    const fragments: string[] = [];
    /** One variable per name: a clash takes a fresh name (graphql allows one type per name). */
    const variable = (name: string, type: string, value: unknown, byDefault: boolean): string => {
      let key = name;
      for (let i = 2; declared.has(key); i += 1) key = `${name}${i}`;
      declared.set(key, { type, value, byDefault });
      return `$${key}`;
    };
    const arg = (s: Size): string =>
      s.how === 'literal' ? `${s.n}` : variable(s.name, 'Int', s.n, s.how === 'default');
    // Sibling `lines` with different page sizes may not share a response key: each its own.
    let count = 0;
    const head = (s: Sel, name: string, args: string) => {
      const key =
        s.kind === 'lines' ? `${s.alias ?? 'l'}_${(count += 1)}` : s.alias && `${s.alias}_${name}`;
      return `${key ? `${key}: ` : ''}${name}${args}`;
    };
    const field = (s: Sel, literal: boolean, directive = ''): string => {
      if (s.kind === 'scalar') return `${head(s, 'sku', '')}${directive}`;
      const inner = s.children.map((c) => field(c, literal)).join(' ');
      const args =
        s.kind === 'lines' && s.size ? `(first: ${literal ? s.size.n : arg(s.size)})` : '';
      return `${head(s, s.kind, args)}${directive} { ${inner} }`;
    };
    const written = o.nodes.map((n, i) => {
      const directive = n.directive
        ? ` @${n.directive.kind}(if: ${variable(n.directive.name, 'Boolean!', n.directive.value, false)})`
        : '';
      if (n.wrap === 'none') return field(n.sel, false, directive);
      const text = field(n.sel, false);
      if (n.wrap === 'inline') return `... on Item${directive} { ${text} }`;
      {
        fragments.push(`fragment F${i} on Item { ${text} }`);
        // Spread twice: graphql-js runs it once; the cost may count it twice.
        return `...F${i}${directive} ...F${i}${directive}`;
      }
      return text;
    });
    const kept = o.nodes.filter(
      (n) => !n.directive || n.directive.value === (n.directive.kind === 'include'),
    );
    const body = (items: string, first: string) =>
      `orders(first: ${first}) { edges { node { id items { sku ${items} } } } }`;
    const rootSize = arg(o.size);
    const root = o.twice
      ? `r1: ${body(written.join(' '), rootSize)} r2: ${body(written.join(' '), rootSize)}`
      : body(written.join(' '), rootSize);
    const literalItems = kept.map((n) => field(n.sel, true)).join(' ');
    const literalRoot = o.twice
      ? `r1: ${body(literalItems, `${o.size.n}`)} r2: ${body(literalItems, `${o.size.n}`)}`
      : body(literalItems, `${o.size.n}`);
    const defs = [...declared].map(
      ([name, v]) => `$${name}: ${v.type}${v.byDefault ? ` = ${JSON.stringify(v.value)}` : ''}`,
    );
    const variables = Object.fromEntries(
      [...declared].filter(([, v]) => !v.byDefault).map(([name, v]) => [name, v.value]),
    );
    return {
      query: `query${defs.length ? `(${defs.join(', ')})` : ''} { ${root} } ${fragments.join(' ')}`,
      variables,
      literal: `{ ${literalRoot} }`,
    };
  }

  it('never costs less than the equivalent literal query, nor less than 1', () => {
    fc.assert(
      fc.property(op, (o) => {
        const { query, variables, literal } = render(o);
        const document = parse(query);
        // Only documents graphql-js accepts reach the cost rule.
        expect(validate(schema, document)).toEqual([]);
        const cost = operationCost(schema, document, getOperationAST(document)!, variables);
        const plain = parse(literal);
        expect(validate(schema, plain)).toEqual([]);
        expect(cost).toBeGreaterThanOrEqual(
          operationCost(schema, plain, getOperationAST(plain)!, {}),
        );
        expect(cost).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
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
