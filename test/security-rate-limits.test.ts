import { codeOf, postGraphQL, wsGraphQL } from './support/security-clients';
import type { Answer } from './support/security-clients';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/**
 * Rate limits, each on a server of its own with low numbers set explicitly (the other suites run
 * with RATE_LIMITS=off). Buckets refill over minutes here, so a test never waits for one.
 */

let perIp: TestServer;
let behindProxy: TestServer;
let perCost: TestServer;
let perPurchase: TestServer;

beforeAll(async () => {
  const on = { RATE_LIMITS: 'on', RATE_LIMIT_IP_PER_MINUTE: '5' };
  [perIp, behindProxy, perCost, perPurchase] = await Promise.all([
    startTestServer(on),
    startTestServer({ ...on, RATE_LIMIT_IP_PER_MINUTE: '2', TRUST_PROXY: 'loopback' }),
    startTestServer({
      RATE_LIMITS: 'on',
      RATE_LIMIT_IP_PER_MINUTE: '10000',
      GRAPHQL_MAX_COST: '1000',
      RATE_LIMIT_COST_BURST: '1000',
      RATE_LIMIT_COST_PER_SECOND: '1',
    }),
    startTestServer({
      RATE_LIMITS: 'on',
      RATE_LIMIT_IP_PER_MINUTE: '10000',
      RATE_LIMIT_PURCHASES_PER_MINUTE: '2',
    }),
  ]);
});
afterAll(() =>
  Promise.all([perIp?.stop(), behindProxy?.stop(), perCost?.stop(), perPurchase?.stop()]),
);

async function postFrom(server: TestServer, forwardedFor?: string): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${server.tokens.seller[0]}`,
  };
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
  return fetch(server.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: '{ viewer { role } }' }),
  });
}

describe('per client IP on HTTP', () => {
  it('answers the request after the burst with 429, RATE_LIMITED and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await postFrom(perIp)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);

    const refused = await postFrom(perIp);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as Answer;
    expect(codeOf({ ...body, status: 429 })).toBe('RATE_LIMITED');
  });

  it('ignores X-Forwarded-For unless a proxy is trusted', async () => {
    expect((await postFrom(perIp, '203.0.113.7')).status).toBe(429);
  });

  it('leaves the health checks alone', async () => {
    const base = perIp.url.replace('/graphql', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('leaves carrier webhooks to their signatures', async () => {
    const webhook = perIp.url.replace('/graphql', '/webhooks/carriers/UPS');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      statuses.push((await fetch(webhook, { method: 'POST', body: '{}' })).status);
    }
    // Refused for want of a signature, every time, but never for the address.
    expect(statuses).toEqual(Array(8).fill(400));
  });

  it('counts each forwarded client apart behind a trusted proxy', async () => {
    expect((await postFrom(behindProxy, '203.0.113.1')).status).toBe(200);
    expect((await postFrom(behindProxy, '203.0.113.1')).status).toBe(200);
    expect((await postFrom(behindProxy, '203.0.113.1')).status).toBe(429);
    expect((await postFrom(behindProxy, '203.0.113.2')).status).toBe(200);
  });
});

describe('per token on query cost', () => {
  // 50 orders cost 812.5 of this server's 1,000-point bucket, refilled at 1 point a second.
  const page = '{ orders(first: 50) { edges { node { id number } } } }';

  it("refuses a token's query once its cost budget is spent, with 429 and RATE_LIMITED", async () => {
    const token = perCost.tokens.seller[0];
    const first = await postGraphQL(perCost, page, {}, token);
    expect(first.errors).toBeUndefined();

    const second = await postGraphQL(perCost, page, {}, token);
    expect(second.status).toBe(429);
    expect(codeOf(second)).toBe('RATE_LIMITED');
    expect(second.errors?.[0]?.extensions?.limit).toBe('COST');
    expect(second.data ?? null).toBeNull();
  });

  it('still serves a cheap query from the rest of the budget', async () => {
    const answer = await postGraphQL(perCost, '{ viewer { role } }', {}, perCost.tokens.seller[0]);
    expect(answer.errors).toBeUndefined();
  });

  it('keeps one budget per token across HTTP and WebSocket', async () => {
    const answer = await wsGraphQL(perCost, page, {}, perCost.tokens.seller[0]);
    expect(codeOf(answer)).toBe('RATE_LIMITED');
  });

  it("does not spend another token's budget", async () => {
    const other = perCost.tokens.seller[1];
    expect((await postGraphQL(perCost, page, {}, other)).errors).toBeUndefined();
    expect(codeOf(await wsGraphQL(perCost, page, {}, other))).toBe('RATE_LIMITED');
    expect((await wsGraphQL(perCost, page, {}, perCost.tokens.buyer[0])).errors).toBeUndefined();
  });
});

describe('per seller on purchaseLabel', () => {
  // Attempts count, successful or not: the limit is on trying to buy, which is what abuse does.
  const PURCHASE =
    'mutation($key: String!) { purchaseLabel(input: { quoteId: "TGFiZWxRdW90ZToxMDAwMDAw", rateId: "r", signatureOption: NONE, idempotencyKey: $key }) { label { id } userErrors { code } } }';
  const attempt = (token: string, key: string, over: 'HTTP' | 'WebSocket' = 'HTTP') =>
    over === 'HTTP'
      ? postGraphQL(perPurchase, PURCHASE, { key }, token)
      : wsGraphQL(perPurchase, PURCHASE, { key }, token);

  it('refuses the attempt after the limit with 429 and RATE_LIMITED, before the purchase rules', async () => {
    const seller = perPurchase.tokens.seller[0];
    for (const key of ['k1', 'k2']) {
      const allowed = await attempt(seller, key);
      expect(allowed.errors).toBeUndefined();
      expect(JSON.stringify(allowed.data)).toMatch(/QUOTE_NOT_FOUND/);
    }
    const refused = await attempt(seller, 'k3');
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.errors?.[0]?.extensions?.limit).toBe('PURCHASES');
    expect(refused.data ?? null).toBeNull();
  });

  it('counts the same seller over WebSocket', async () => {
    expect(codeOf(await attempt(perPurchase.tokens.seller[0], 'k4', 'WebSocket'))).toBe(
      'RATE_LIMITED',
    );
  });

  it('leaves other sellers and other operations alone', async () => {
    const other = await attempt(perPurchase.tokens.seller[1], 'k1');
    expect(other.errors).toBeUndefined();
    const read = await postGraphQL(
      perPurchase,
      '{ viewer { role } }',
      {},
      perPurchase.tokens.seller[0],
    );
    expect(read.errors).toBeUndefined();
  });
});
