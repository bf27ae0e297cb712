import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signatureHeader } from '../src/webhooks/signature';
import { DEV_SECRETS } from './support/carrier';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/**
 * Thousands of malformed queries, variables, global ids, money amounts and webhook bodies against
 * a real server. Every answer must be a clear error (JSON, a code, no stack, no 5xx, no hang), the
 * server must stay up, and not one row may change.
 */

let server: TestServer;
let before: Map<string, string>;
/** Inputs sent, by property, for the closing figure. */
const sent: Record<string, number> = {};

beforeAll(async () => {
  server = await startTestServer();
  before = await snapshot();
});
afterAll(() => server?.stop());

/** Every table's row count and a hash of its rows (order-independent). */
async function snapshot(): Promise<Map<string, string>> {
  const tables = server.db.dataSource.entityMetadatas.map((m) => m.tableName).sort();
  const result = new Map<string, string>();
  for (const table of tables) {
    const rows = (await server.db.manager.query(`SELECT * FROM "${table}"`)) as unknown[];
    const lines = rows.map((r) => JSON.stringify(r)).sort();
    result.set(
      table,
      `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`,
    );
  }
  return result;
}

const STACK = /\n\s+at |node_modules|stacktrace|\.ts:\d+/;
const TIMEOUT_MS = 10_000;

interface Reply {
  status: number;
  text: string;
}

async function request(path: string, init: RequestInit): Promise<Reply> {
  const res = await fetch(server.url.replace('/graphql', path), {
    ...init,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return { status: res.status, text: await res.text() };
}

function postGraphQL(body: string, token: string | null): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return request('/graphql', { method: 'POST', headers, body });
}

/** A clear GraphQL answer: JSON; data, or errors that each carry a code other than internal. */
function expectClearGraphQL(reply: Reply): void {
  expect(reply.status).toBeLessThan(500);
  expect(reply.text).not.toMatch(STACK);
  const body = JSON.parse(reply.text) as {
    data?: unknown;
    errors?: Array<{ extensions?: { code?: unknown } }>;
  };
  if (!body.errors) {
    expect(body.data).toBeTruthy();
    return;
  }
  for (const error of body.errors) {
    expect(typeof error.extensions?.code).toBe('string');
    expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
  }
}

/** Mutations' expected failures are userErrors with a code; nothing may have been written. */
function expectNoSuccess(reply: Reply): void {
  expectClearGraphQL(reply);
  const body = JSON.parse(reply.text) as { data?: Record<string, { userErrors?: unknown[] }> };
  for (const payload of Object.values(body.data ?? {})) {
    expect(payload?.userErrors?.length ?? 1).toBeGreaterThan(0);
  }
}

const count = (name: string) => {
  sent[name] = (sent[name] ?? 0) + 1;
};
const tokens = () => [null, server.tokens.seller[0], server.tokens.buyer[0], server.tokens.admin];
const anyToken = fc.integer({ min: 0, max: 3 }).map((i) => tokens()[i]);
const seller = () => server.tokens.seller[0];

const VALID_QUERIES = [
  '{ viewer { role seller { id name } } }',
  'query($first: Int, $after: String) { orders(first: $first, after: $after) { edges { cursor node { id number totals { total { amount } } } } pageInfo { hasNextPage } } }',
  'query($id: ID!) { node(id: $id) { id ... on Order { number } } }',
  '{ carrierServices { code signatureOptions { option fee { amount } } } }',
  'fragment O on Order { id items { sku } } { orders(first: 2) { edges { node { ...O } } } }',
];
const VOCABULARY = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '$',
  '!',
  '=',
  '@',
  '...',
  '|',
  '&',
  '"',
  '"""',
  '#',
  ',',
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  'null',
  'true',
  '1e999',
  '-0',
  '0x1',
  'orders',
  'order',
  'node',
  'edges',
  'viewer',
  'purchaseLabel',
  '__schema',
  '__typename',
  'first',
  'after',
  'id',
  'input',
  '@include(if: true)',
  '@skip',
  '\\u0000',
  '\u0000',
  '\uffff',
  '𝔊',
  '"\\',
  '99999999999999999999',
  'Order',
  'Int',
  'String!',
  '[ID!]!',
];

/** Malformed documents: random text, token soup, and valid queries with a few characters changed. */
const malformedQuery = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 80 }).map((t) => t.join(' ')),
  fc
    .tuple(
      fc.constantFrom(...VALID_QUERIES),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ maxLength: 3 })), {
        maxLength: 4,
      }),
    )
    .map(([query, edits]) =>
      edits.reduce((q, [at, cut, insert]) => {
        const i = at % (q.length + 1);
        return q.slice(0, i) + insert + q.slice(i + cut);
      }, query),
    ),
  fc.integer({ min: 1, max: 3000 }).map((n) => '{'.repeat(n)),
);

/** Request bodies that are not a GraphQL request at all. */
const malformedBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .record({ query: fc.jsonValue({ maxDepth: 2 }), variables: fc.jsonValue({ maxDepth: 2 }) })
    .map((v) => JSON.stringify(v)),
);

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const TYPES = [
  'Order',
  'LineItem',
  'Seller',
  'Buyer',
  'Shipment',
  'Label',
  'LabelQuote',
  'DeliveryProof',
  'Notification',
  'Nope',
  '',
];
/** Global ids that name nothing that exists: junk, other types, bad numbers, far-away rows. */
const badGlobalId = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc
    .tuple(fc.constantFrom(...TYPES), fc.string({ maxLength: 20 }))
    .map(([t, j]) => b64(`${t}:${j}`)),
  fc
    .tuple(
      fc.constantFrom(...TYPES),
      fc.constantFrom('0', '-1', '01', '1.5', '1e3', ' 1', '9'.repeat(30), 'NaN'),
    )
    .map(([t, n]) => b64(`${t}:${n}`)),
  fc
    .tuple(fc.constantFrom(...TYPES), fc.integer({ min: 1_000_000_000, max: 2 ** 53 - 1 }))
    .map(([t, n]) => b64(`${t}:${n}`)),
  fc.constantFrom('', ' ', '=', 'T3JkZXI6MQ==', 'T3JkZXI6MQ', 'null', '%00'),
);

/** Strings a money field must refuse: anything that is not plainly a decimal amount. */
const badMoney = fc
  .oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(
      '',
      ' ',
      '-1',
      '-0.01',
      '1e3',
      'NaN',
      'Infinity',
      '0x10',
      '1,000.00',
      '1.234',
      '€750',
      '750 USD',
      '9'.repeat(40),
      '1.',
      '.5',
      '+750',
      '0',
      '0.00',
      '٧٥٠',
      '７５０',
      '750\u0000',
    ),
    fc.double().map(String),
  )
  .filter((s) => !/^\d{1,7}(\.\d{1,2})?$/.test(s.trim()) || Number(s) < 1);

const NUM_RUNS = {
  documents: 600,
  variables: 400,
  ids: 600,
  money: 300,
  webhooks: 700,
  websocket: 400,
};

describe('fuzzing the server with bad input', () => {
  it('answers malformed documents and request bodies with clear errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          malformedQuery.map((query) => JSON.stringify({ query })),
          malformedBody,
        ),
        anyToken,
        async (body, token) => {
          count('documents');
          expectClearGraphQL(await postGraphQL(body, token));
        },
      ),
      { numRuns: NUM_RUNS.documents },
    );
  });

  it('answers malformed variables of valid operations with clear errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...VALID_QUERIES.slice(1, 3)),
        fc.dictionary(
          fc.constantFrom('first', 'after', 'id', 'filter', 'x'),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        anyToken,
        async (query, variables, token) => {
          count('variables');
          expectClearGraphQL(await postGraphQL(JSON.stringify({ query, variables }), token));
        },
      ),
      { numRuns: NUM_RUNS.variables },
    );
  });

  it('answers bad global ids in queries and mutations without writing', async () => {
    const operations = [
      'query($id: ID!) { node(id: $id) { id } }',
      'query($id: ID!) { order(id: $id) { id } }',
      'mutation($id: ID!) { createLabelQuote(input: { orderId: $id }) { quote { id } userErrors { code } } }',
      'mutation($id: ID!) { voidLabel(input: { labelId: $id }) { userErrors { code } } }',
      'mutation($id: ID!) { verifyDeliveryProof(input: { proofId: $id, verdict: DISPUTED }) { userErrors { code } } }',
      'mutation($id: ID!) { purchaseLabel(input: { quoteId: $id, rateId: "r", signatureOption: NONE, idempotencyKey: "fuzz" }) { label { id } userErrors { code } } }',
      'mutation($id: ID!) { updateOrderRiskInputs(input: { orderId: $id, onHold: true }) { userErrors { code } } }',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations), badGlobalId, async (query, id) => {
        count('ids');
        const reply = await postGraphQL(JSON.stringify({ query, variables: { id } }), seller());
        if (query.startsWith('mutation')) expectNoSuccess(reply);
        else expectClearGraphQL(reply);
      }),
      { numRuns: NUM_RUNS.ids },
    );
  });

  it('refuses money amounts that are not plain decimals, without writing', async () => {
    const query =
      'mutation($high: String, $elevated: String) { updateRiskSettings(input: { highValueThreshold: $high, elevatedValueThreshold: $elevated }) { userErrors { code field } } }';
    await fc.assert(
      fc.asyncProperty(badMoney, fc.option(badMoney), async (high, elevated) => {
        count('money');
        const variables = { high, elevated };
        expectNoSuccess(await postGraphQL(JSON.stringify({ query, variables }), seller()));
      }),
      { numRuns: NUM_RUNS.money },
    );
  });

  it('answers malformed, unsigned and wrongly signed webhook bodies with a JSON 4xx', async () => {
    const event = fc.record(
      {
        eventId: fc.oneof(fc.string({ maxLength: 90 }), fc.jsonValue({ maxDepth: 1 })),
        trackingNumber: fc.oneof(
          fc.string({ maxLength: 50 }),
          fc.constant('FUZZ1Z000000'),
          fc.integer(),
        ),
        status: fc.oneof(
          fc.constantFrom('IN_TRANSIT', 'DELIVERED', 'EXCEPTION', 'delivered', ''),
          fc.string(),
        ),
        occurredAt: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
        ),
        reason: fc.option(fc.string({ maxLength: 50 })),
        signature: fc.option(fc.jsonValue({ maxDepth: 2 })),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      event.map((e) => JSON.stringify(e)),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    const signing = fc.constantFrom('valid', 'none', 'garbage', 'wrong-secret', 'stale');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('UPS', 'USPS', 'ups', 'FEDEX', '..', '%2e%2e'),
        body,
        signing,
        fc.constantFrom('application/json', 'text/plain', ''),
        async (carrier, raw, how, contentType) => {
          count('webhooks');
          const secret = DEV_SECRETS[carrier.toUpperCase() as keyof typeof DEV_SECRETS] ?? 'x';
          const headers: Record<string, string> = {};
          if (contentType) headers['content-type'] = contentType;
          if (how === 'valid') headers['countersign-signature'] = signatureHeader(secret, raw);
          if (how === 'garbage') headers['countersign-signature'] = 't=abc,v1=zz';
          if (how === 'wrong-secret')
            headers['countersign-signature'] = signatureHeader('nope', raw);
          if (how === 'stale') {
            headers['countersign-signature'] = signatureHeader(
              secret,
              raw,
              Math.floor(Date.now() / 1000) - 3600,
            );
          }
          const reply = await request(`/webhooks/carriers/${carrier}`, {
            method: 'POST',
            headers,
            body: raw,
          });
          // No fuzzed body names a real shipment, so none can be accepted.
          expect(reply.status).toBeGreaterThanOrEqual(400);
          expect(reply.status).toBeLessThan(500);
          expect(reply.text).not.toMatch(STACK);
          expect(typeof JSON.parse(reply.text)).toBe('object');
        },
      ),
      { numRuns: NUM_RUNS.webhooks },
    );
  });

  it('answers malformed operations over one WebSocket without closing it', async () => {
    const client: Client = createClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      // One socket for every operation: a refusal must not cost the connection.
      lazy: false,
      connectionParams: { authorization: `Bearer ${seller()}` },
    });
    let closed: unknown = null;
    client.on('closed', (event) => {
      closed = event;
    });
    const once = (query: string, variables: Record<string, unknown>) =>
      new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer')), TIMEOUT_MS);
        let last: unknown;
        client.subscribe(
          { query, variables },
          {
            next: (value) => {
              last = value;
            },
            error: (error) => {
              clearTimeout(timer);
              if (Array.isArray(error)) resolve({ errors: error });
              else reject(new Error(`socket closed: ${String((error as { code?: number }).code)}`));
            },
            complete: () => {
              clearTimeout(timer);
              resolve(last);
            },
          },
        );
      });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(malformedQuery, fc.constantFrom(...VALID_QUERIES)),
          fc.dictionary(fc.constantFrom('first', 'after', 'id'), fc.jsonValue({ maxDepth: 2 })),
          async (query, variables) => {
            count('websocket');
            const answer = (await once(query, variables)) as { data?: unknown; errors?: unknown[] };
            const text = JSON.stringify(answer);
            expect(text).not.toMatch(STACK);
            for (const error of (answer.errors ?? []) as Array<{
              extensions?: { code?: unknown };
            }>) {
              expect(typeof error.extensions?.code).toBe('string');
              expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
            }
          },
        ),
        { numRuns: NUM_RUNS.websocket },
      );
      expect(closed).toBeNull();
      expect(await once('{ viewer { role } }', {})).toEqual({
        data: { viewer: { role: 'SELLER' } },
        extensions: { cost: expect.any(Object) },
      });
    } finally {
      await client.dispose();
    }
  });

  it('is still up and has not changed a row afterwards', async () => {
    expect((await request('/healthz', {})).status).toBe(200);
    expectClearGraphQL(
      await postGraphQL(JSON.stringify({ query: '{ viewer { role } }' }), seller()),
    );
    expect(await snapshot()).toEqual(before);
    const total = Object.values(sent).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(3000);
  });
});
