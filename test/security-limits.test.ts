import { Lexer, Source, TokenKind, getIntrospectionQuery } from 'graphql';
import { loadSecurityConfig } from '../src/config/security';
import { TRANSPORTS, codeOf, postGraphQL, send } from './support/security-clients';
import type { Answer } from './support/security-clients';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/** Query limits on HTTP and WebSocket alike, each attack also hidden in fragments. */

let server: TestServer;
/** The same server with a low depth limit: the committed schema is too shallow to reach 10. */
let shallow: TestServer;
let production: TestServer;

beforeAll(async () => {
  [server, shallow, production] = await Promise.all([
    startTestServer(),
    startTestServer({ GRAPHQL_MAX_DEPTH: '5' }),
    startTestServer({
      NODE_ENV: 'production',
      COUNTERSIGN_DEV: 'off',
      CARRIER_SECRET_UPS: 'test-ups-secret',
      CARRIER_SECRET_USPS: 'test-usps-secret',
      LABEL_DOCUMENT_SECRET: 'test-label-document-secret',
      // Production logs requests at info; the suite's output is for test results.
      LOG_LEVEL: 'silent',
    }),
  ]);
});
afterAll(() => Promise.all([server?.stop(), shallow?.stop(), production?.stop()]));

const seller = () => server.tokens.seller[0];

function tokenCount(query: string): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  return count;
}
const repeat = (n: number, f: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => f(i + 1)).join(' ');

/** A refusal carries a code and the limit's name, and never a stack. */
function expectRefused(answer: Answer, code: string, limit?: string): void {
  expect(answer.data ?? null).toBeNull();
  expect(codeOf(answer)).toBe(code);
  if (limit) expect(answer.errors?.[0]?.extensions?.limit).toBe(limit);
  expect(JSON.stringify(answer)).not.toMatch(/stacktrace|\n\s+at /);
}

function expectServed(answer: Answer): void {
  expect(answer.errors).toBeUndefined();
  expect(answer.data).toBeTruthy();
}

const RICH_ORDER = `fragment Rich on Order {
  id number status placedAt
  seller { id name } buyer { id name }
  totals { total { amount currencyCode } subtotal { amount currencyCode } }
  items { id sku quantity ageRestricted unitPrice { amount } }
  shipTo { name city region postalCode country }
}`;

describe('the limits in force by default', () => {
  it('are the documented numbers', () => {
    // The second argument is COUNTERSIGN_DEV: off by default, which keeps introspection off.
    const { limits, rateLimits, introspection } = loadSecurityConfig({}, false);
    expect(limits).toMatchObject({
      maxDepth: 10,
      maxCost: 50000,
      maxAliases: 15,
      maxDirectives: 50,
      maxTokens: 1000,
      maxCharacters: 15000,
    });
    expect(rateLimits).toMatchObject({
      enabled: true,
      ipRequestsPerMinute: 300,
      purchasesPerMinute: 10,
    });
    expect(introspection).toBe(false);
    expect(loadSecurityConfig({}, true).introspection).toBe(true);
  });

  it('can each be changed through the environment', () => {
    const config = loadSecurityConfig(
      {
        GRAPHQL_MAX_DEPTH: '7',
        GRAPHQL_MAX_ALIASES: '3',
        RATE_LIMITS: 'off',
        GRAPHQL_INTROSPECTION: 'on',
      },
      true,
    );
    expect(config.limits.maxDepth).toBe(7);
    expect(config.limits.maxAliases).toBe(3);
    expect(config.rateLimits.enabled).toBe(false);
    expect(config.introspection).toBe(true);
    expect(() => loadSecurityConfig({ GRAPHQL_MAX_TOKENS: 'lots' }, false)).toThrow(
      'GRAPHQL_MAX_TOKENS must be a whole number, at least 1 (got "lots")',
    );
  });
});

describe.each(TRANSPORTS)('over %s', (transport) => {
  const run = (query: string, variables: Record<string, unknown> = {}, target = server) =>
    send(transport, target, query, variables, target.tokens.seller[0]);

  describe('depth (limit 5 on this server; fragments flattened)', () => {
    const tooDeep = {
      inline: '{ orders(first: 1) { edges { node { totals { total { amount } } } } } }',
      'named fragment':
        '{ orders(first: 1) { edges { node { ...T } } } } fragment T on Order { totals { total { amount } } }',
      'inline fragment':
        '{ orders(first: 1) { edges { node { ... on Order { totals { total { amount } } } } } } }',
      'nested named fragments':
        '{ orders(first: 1) { ...E } } fragment E on OrderConnection { edges { node { ...T } } } fragment T on Order { totals { total { amount } } }',
    };
    it.each(Object.entries(tooDeep))('refuses depth 6 written %s', async (_how, query) => {
      expectRefused(await run(query, {}, shallow), 'GRAPHQL_VALIDATION_FAILED', 'DEPTH');
    });

    it('serves depth 5, also through fragments', async () => {
      expectServed(
        await run('{ orders(first: 1) { edges { node { seller { name } } } } }', {}, shallow),
      );
      expectServed(
        await run(
          '{ orders(first: 1) { edges { node { ...S } } } } fragment S on Order { seller { name } }',
          {},
          shallow,
        ),
      );
    });
  });

  describe('depth (10 by default)', () => {
    /** node, then shipment's order → shipment → order … (`hops` fields), then id: depth hops + 2. */
    const chain = (hops: number) => {
      let body = 'id';
      for (let level = hops; level >= 1; level -= 1) {
        body = `${level % 2 === 1 ? 'order' : 'shipment'} { ${body} }`;
      }
      return `query($id: ID!) { node(id: $id) { ... on Shipment { ${body} } } }`;
    };
    it('refuses depth 11', async () => {
      expectRefused(await run(chain(9), { id: 'x' }), 'GRAPHQL_VALIDATION_FAILED', 'DEPTH');
    });

    it('serves depth 10', async () => {
      expectServed(await run(chain(8), { id: 'U2hpcG1lbnQ6MQ' }));
    });
  });

  describe('one purchaseLabel per operation', () => {
    const buy = (alias: string) =>
      `${alias}purchaseLabel(input: { quoteId: "x", rateId: "r", signatureOption: NONE, idempotencyKey: "${alias}k" }) { userErrors { code } }`;
    it.each([
      ['as aliases', `mutation { ${buy('a: ')} ${buy('b: ')} }`],
      [
        'through a fragment',
        `mutation { ${buy('a: ')} ...B } fragment B on Mutation { ${buy('b: ')} }`,
      ],
    ])('refuses two purchases %s before buying anything', async (_how, query) => {
      expectRefused(await run(query), 'GRAPHQL_VALIDATION_FAILED', 'PURCHASES_PER_OPERATION');
    });

    it('lets one through to the purchase rules', async () => {
      const answer = await run(`mutation { ${buy('')} }`);
      expect(answer.errors).toBeUndefined();
      expect(JSON.stringify(answer.data)).toMatch(/INVALID_ID|QUOTE_NOT_FOUND/);
    });
  });

  describe('aliases (15)', () => {
    const sixteen = repeat(16, (i) => `a${i}: viewer { role }`);
    const eight = (p: string) => repeat(8, (i) => `${p}${i}: viewer { role }`);
    it.each([
      ['inline', `{ ${sixteen} }`],
      ['in a named fragment', `{ ...A ${eight('b')} } fragment A on Query { ${eight('a')} }`],
      ['in an inline fragment', `{ ... on Query { ${sixteen} } }`],
    ])('refuses 16 aliases written %s', async (_how, query) => {
      expectRefused(await run(query), 'GRAPHQL_VALIDATION_FAILED', 'ALIASES');
    });

    it('serves 15', async () => {
      expectServed(await run(`{ ${repeat(15, (i) => `a${i}: viewer { role }`)} }`));
    });
  });

  describe('directives (50)', () => {
    const field = '__typename @include(if: true)';
    it.each([
      ['inline', `{ ${repeat(51, () => field)} }`],
      [
        'in a named fragment',
        `{ ...D ${repeat(25, () => field)} } fragment D on Query { ${repeat(26, () => field)} }`,
      ],
    ])('refuses 51 directives written %s', async (_how, query) => {
      expectRefused(await run(query), 'GRAPHQL_VALIDATION_FAILED', 'DIRECTIVES');
    });

    it('serves 50', async () => {
      expectServed(await run(`{ ${repeat(50, () => field)} }`));
    });
  });

  describe('tokens (1000)', () => {
    /**
     * A valid document of exactly `count` tokens: many small fragments (hundreds of copies of one
     * field would trip graphql-js's own field-merging budget), topped up with `__typename`.
     */
    const ofTokens = (count: number) => {
      const n = Math.floor((count - 6) / 9);
      const fragments = repeat(n, (i) => `fragment F${i} on Query { __typename }`);
      const topUp = repeat(count - 6 - 9 * n, () => '__typename');
      const query = `{ viewer { role } ${repeat(n, (i) => `...F${i}`)} ${topUp} } ${fragments}`;
      expect(tokenCount(query)).toBe(count);
      return query;
    };

    it('refuses 1001 tokens before executing anything', async () => {
      const answer = await run(ofTokens(1001));
      expectRefused(answer, 'GRAPHQL_PARSE_FAILED');
      expect(answer.errors?.[0]?.message).toMatch(/1000 tokens/);
    });

    it('serves 1000', async () => {
      expectServed(await run(ofTokens(1000)));
    });
  });

  describe('characters (15000)', () => {
    const padded = (length: number) => {
      const query = '{ viewer { role } }\n#';
      return query + 'x'.repeat(length - query.length);
    };
    it('refuses 15001 characters, even of comment', async () => {
      expectRefused(await run(padded(15001)), 'BAD_REQUEST', 'CHARACTERS');
    });

    it('serves 15000', async () => {
      expectServed(await run(padded(15000)));
    });
  });

  describe('cost (50000, page sizes counted however given)', () => {
    const page = (first: string) => `orders(first: ${first}) { edges { node { ...Rich } } }`;
    it('serves one page of 100 rich orders (about 19,000)', async () => {
      expectServed(await run(`{ ${page('100')} } ${RICH_ORDER}`));
    });

    it('refuses three such pages (about 57,000) written as literals', async () => {
      const query = `{ a: ${page('100')} b: ${page('100')} c: ${page('100')} } ${RICH_ORDER}`;
      expectRefused(await run(query), 'GRAPHQL_VALIDATION_FAILED', 'COST');
    });

    it('refuses them when the page size comes in a variable', async () => {
      const query = `query($n: Int) { a: ${page('$n')} b: ${page('$n')} c: ${page('$n')} } ${RICH_ORDER}`;
      expectRefused(await run(query, { n: 100 }), 'GRAPHQL_VALIDATION_FAILED', 'COST');
    });

    // The WebSocket path keeps a text that validated; what depends on the variables (and the
    // caller) is still checked on every request.
    it('refuses them for a text it served before with a smaller page', async () => {
      const query = `query($n: Int) { a: ${page('$n')} b: ${page('$n')} c: ${page('$n')} } ${RICH_ORDER}`;
      expectServed(await run(query, { n: 2 }));
      expectRefused(await run(query, { n: 100 }), 'GRAPHQL_VALIDATION_FAILED', 'COST');
      const bad = await run(query, { n: 'many' });
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expectServed(await run(query, { n: 3 }));
    });

    it('refuses them when the page size is a variable default', async () => {
      const query = `query($n: Int = 100) { a: ${page('$n')} b: ${page('$n')} c: ${page('$n')} } ${RICH_ORDER}`;
      expectRefused(await run(query), 'GRAPHQL_VALIDATION_FAILED', 'COST');
    });

    // `name in vars` found Object.prototype's function for these names and costed one order.
    describe.each(['constructor', 'toString', '__proto__'])('in a variable named $%s', (name) => {
      const three = (n: string) => `a: ${page(n)} b: ${page(n)} c: ${page(n)}`;
      it('refuses them when the variable is sent', async () => {
        const query = `query($${name}: Int) { ${three(`$${name}`)} } ${RICH_ORDER}`;
        const variables = Object.fromEntries([[name, 100]]);
        expectRefused(await run(query, variables), 'GRAPHQL_VALIDATION_FAILED', 'COST');
      });

      it('refuses them when the variable has a default', async () => {
        const query = `query($${name}: Int = 100) { ${three(`$${name}`)} } ${RICH_ORDER}`;
        expectRefused(await run(query), 'GRAPHQL_VALIDATION_FAILED', 'COST');
      });
    });
  });

  it('refuses a page size over 100', async () => {
    const answer = await run('query($n: Int) { orders(first: $n) { edges { cursor } } }', {
      n: 101,
    });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
  });

  it('hides field suggestions', async () => {
    const answer = await run('{ viewer { rol } }');
    expectRefused(answer, 'GRAPHQL_VALIDATION_FAILED');
    expect(answer.errors?.[0]?.message).toMatch(/Cannot query field "rol"/);
    expect(JSON.stringify(answer)).not.toMatch(/Did you mean|"role"/);
  });

  it('hides enum value suggestions in variable errors', async () => {
    const answer = await run('query($c: Carrier) { carrierServices(carrier: $c) { id } }', {
      c: 'UPX',
    });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(answer)).not.toMatch(/Did you mean|"UPS"/);
  });

  it('answers a syntax error with an error, not a stack or a closed socket', async () => {
    expectRefused(await run('{ viewer { role '), 'GRAPHQL_PARSE_FAILED');
  });

  it('serves introspection with COUNTERSIGN_DEV (the IDE needs it)', async () => {
    expectServed(await run(getIntrospectionQuery()));
  });

  describe('without COUNTERSIGN_DEV (production)', () => {
    const prod = (query: string) =>
      send(transport, production, query, {}, production.tokens.seller[0]);

    it.each([
      ['__schema', '{ __schema { types { name } } }'],
      ['__type', '{ __type(name: "Order") { fields { name } } }'],
      ['the full introspection query', getIntrospectionQuery()],
    ])('refuses introspection through %s', async (_what, query) => {
      expectRefused(await prod(query), 'GRAPHQL_VALIDATION_FAILED');
    });

    it('still answers __typename', async () => {
      expectServed(await prod('{ __typename }'));
    });

    it('names no numbers when refusing a limit', async () => {
      const answer = await prod(`{ ${repeat(16, (i) => `a${i}: viewer { role }`)} }`);
      expectRefused(answer, 'GRAPHQL_VALIDATION_FAILED', 'ALIASES');
      expect(answer.errors?.[0]?.message).toBe('The query has too many aliases.');
    });
  });
});

describe('HTTP only', () => {
  it('refuses batched requests', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${seller()}` },
      body: JSON.stringify([{ query: '{ viewer { role } }' }, { query: '{ viewer { role } }' }]),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/"role"/);
  });

  it('answers malformed JSON with a JSON error, not an HTML stack trace', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ viewer',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = await res.text();
    expect((JSON.parse(body) as Answer).errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(body).not.toMatch(/ at |node_modules/);
  });

  it('answers a body over 512 kB with 413 and a code', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(530_000) } }),
    });
    expect(res.status).toBe(413);
    expect(codeOf({ status: res.status, ...((await res.json()) as object) })).toBe(
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await fetch(server.url.replace('/graphql', '/admin.php'));
    expect(res.status).toBe(404);
    expect(codeOf({ status: res.status, ...((await res.json()) as object) })).toBe('NOT_FOUND');
  });

  it('serves no IDE without COUNTERSIGN_DEV', async () => {
    const res = await fetch(production.url, { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toMatch(/graphiql|cs_dev_/i);
  });

  describe('a subscription (served over WebSocket only)', () => {
    const SUBSCRIPTION = 'subscription Feed { sellerShipmentFeed { shipment { id } } }';
    let logged: string[];
    let spy: jest.SpyInstance;
    beforeEach(() => {
      logged = [];
      spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        logged.push(String(chunk));
        return true;
      });
    });
    afterEach(() => spy.mockRestore());

    const expectSubscriptionRefused = async (res: Response) => {
      expect(res.status).toBe(400);
      const body = (await res.json()) as Answer;
      expect(body.errors?.[0]?.extensions?.code).toBe('SUBSCRIPTION_OVER_HTTP');
      expect(body.errors?.[0]?.message).toMatch(/WebSocket/);
      expect(JSON.stringify(body)).not.toMatch(/stacktrace|\n\s+at /);
      expect(logged.join('')).not.toMatch(/"level":"error"|\n\s+at /);
    };
    const headers = () => ({
      'content-type': 'application/json',
      authorization: `Bearer ${seller()}`,
    });

    it('POSTed gets 400 SUBSCRIPTION_OVER_HTTP, and nothing is logged as an error', async () => {
      await expectSubscriptionRefused(
        await fetch(server.url, {
          method: 'POST',
          headers: headers(),
          body: JSON.stringify({ query: SUBSCRIPTION }),
        }),
      );
    });

    it('named in a document of several operations gets the same', async () => {
      const query = `query Me { viewer { role } } ${SUBSCRIPTION}`;
      await expectSubscriptionRefused(
        await fetch(server.url, {
          method: 'POST',
          headers: headers(),
          body: JSON.stringify({ query, operationName: 'Feed' }),
        }),
      );
      // The query of the same document is served.
      const res = await fetch(server.url, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({ query, operationName: 'Me' }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Answer).data).toEqual({ viewer: { role: 'SELLER' } });
    });

    it('sent with GET gets the same', async () => {
      const url = `${server.url}?query=${encodeURIComponent(SUBSCRIPTION)}`;
      await expectSubscriptionRefused(
        await fetch(url, {
          headers: { authorization: `Bearer ${seller()}`, 'apollo-require-preflight': 'true' },
        }),
      );
    });

    it('still names a field "subscription" without refusing a query', async () => {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({ query: '# subscription\n{ viewer { role } }' }),
      });
      expect(res.status).toBe(200);
    });
  });

  it('sends limit refusals with status 400', async () => {
    const answer = await postGraphQL(
      server,
      `{ ${repeat(16, (i) => `a${i}: viewer { role }`)} }`,
      {},
      seller(),
    );
    expect(answer.status).toBe(400);
  });
});
