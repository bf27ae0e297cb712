import { randomUUID } from 'node:crypto';
import { codeOf, freshToken, postGraphQL, wsGraphQL } from './support/security-clients';
import type { Answer } from './support/security-clients';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/**
 * Rate limits, each on a server of its own with low numbers set explicitly (the other suites run
 * with RATE_LIMITS=off). Buckets refill over minutes here, so a test never waits for one. Every
 * test brings the bucket it needs to the state it needs (a token of its own, a server of its own,
 * or spending until refused), so any one of them runs alone (`-t`) as in the whole file.
 */

const IP_LIMIT = 5;
const PURCHASE_LIMIT = 2;

let perIp: TestServer;
let perIpFresh: TestServer;
let behindProxy: TestServer;
let perCost: TestServer;
let perPurchase: TestServer;

beforeAll(async () => {
  const on = { RATE_LIMITS: 'on', RATE_LIMIT_IP_PER_MINUTE: `${IP_LIMIT}` };
  [perIp, perIpFresh, behindProxy, perCost, perPurchase] = await Promise.all([
    startTestServer(on),
    // Only the burst test spends this one: it counts from a full bucket.
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
      RATE_LIMIT_PURCHASES_PER_MINUTE: `${PURCHASE_LIMIT}`,
    }),
  ]);
});
afterAll(() =>
  Promise.all(
    [perIp, perIpFresh, behindProxy, perCost, perPurchase].map((server) => server?.stop()),
  ),
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

/** Spends this client's per-IP bucket, whatever earlier requests left of it. */
async function spendIpBucket(server: TestServer): Promise<void> {
  for (let i = 0; i <= IP_LIMIT; i += 1) {
    if ((await postFrom(server)).status === 429) return;
  }
  throw new Error('the per-IP limit never refused');
}

describe('per client IP on HTTP', () => {
  it('answers the request after the burst with 429, RATE_LIMITED and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < IP_LIMIT; i += 1) statuses.push((await postFrom(perIpFresh)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);

    const refused = await postFrom(perIpFresh);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as Answer;
    expect(codeOf({ ...body, status: 429 })).toBe('RATE_LIMITED');
  });

  it('ignores X-Forwarded-For unless a proxy is trusted', async () => {
    await spendIpBucket(perIp);
    expect((await postFrom(perIp, '203.0.113.7')).status).toBe(429);
  });

  it('leaves the health checks alone', async () => {
    await spendIpBucket(perIp);
    const base = perIp.url.replace('/graphql', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('leaves carrier webhooks to their signatures', async () => {
    await spendIpBucket(perIp);
    const webhook = perIp.url.replace('/graphql', '/webhooks/carriers/UPS');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      statuses.push((await fetch(webhook, { method: 'POST', body: '{}' })).status);
    }
    // Refused for want of a signature, every time, but never for the address.
    expect(statuses).toEqual(Array(8).fill(400));
  });

  it('counts each forwarded client apart behind a trusted proxy', async () => {
    // Addresses of this test only: each starts with a full bucket of two.
    const [one, two] = ['203.0.113.1', '203.0.113.2'];
    expect((await postFrom(behindProxy, one)).status).toBe(200);
    expect((await postFrom(behindProxy, one)).status).toBe(200);
    expect((await postFrom(behindProxy, one)).status).toBe(429);
    expect((await postFrom(behindProxy, two)).status).toBe(200);
  });
});

describe('per token on query cost', () => {
  // 50 orders cost 812.5 of this server's 1,000-point bucket, refilled at 1 point a second.
  const page = '{ orders(first: 50) { edges { node { id number } } } }';
  const sellerToken = () => freshToken(perCost, perCost.tokens.seller[0]);

  it("refuses a token's query once its cost budget is spent, with 429 and THROTTLED", async () => {
    const token = await sellerToken();
    const first = await postGraphQL(perCost, page, {}, token);
    expect(first.errors).toBeUndefined();

    const second = await postGraphQL(perCost, page, {}, token);
    expect(second.status).toBe(429);
    expect(codeOf(second)).toBe('THROTTLED');
    expect(second.errors?.[0]?.extensions?.limit).toBe('COST');
    expect(second.data ?? null).toBeNull();
  });

  it('still serves a cheap query from the rest of the budget', async () => {
    const token = await sellerToken();
    expect((await postGraphQL(perCost, page, {}, token)).errors).toBeUndefined();
    expect(codeOf(await postGraphQL(perCost, page, {}, token))).toBe('THROTTLED');
    const answer = await postGraphQL(perCost, '{ viewer { role } }', {}, token);
    expect(answer.errors).toBeUndefined();
  });

  it('keeps one budget per token across HTTP and WebSocket', async () => {
    const token = await sellerToken();
    expect((await postGraphQL(perCost, page, {}, token)).errors).toBeUndefined();
    expect(codeOf(await wsGraphQL(perCost, page, {}, token))).toBe('THROTTLED');
  });

  it.each(['HTTP', 'WebSocket'] as const)(
    'charges a page sized by a $constructor variable at its size (%s)',
    async (over) => {
      const token = await sellerToken();
      const query =
        'query($constructor: Int = 50) { orders(first: $constructor) { edges { node { id number } } } }';
      const send = over === 'HTTP' ? postGraphQL : wsGraphQL;
      expect((await send(perCost, query, {}, token)).errors).toBeUndefined();
      // 812.5 spent, not 16: the same page again does not fit in what is left.
      expect(codeOf(await send(perCost, query, {}, token))).toBe('THROTTLED');
    },
  );

  it("does not spend another token's budget", async () => {
    const [spent, other, buyer] = await Promise.all([
      sellerToken(),
      sellerToken(),
      freshToken(perCost, perCost.tokens.buyer[0]),
    ]);
    expect((await postGraphQL(perCost, page, {}, spent)).errors).toBeUndefined();
    expect(codeOf(await postGraphQL(perCost, page, {}, spent))).toBe('THROTTLED');
    // Another token of the same seller, and a buyer's token, have budgets of their own.
    expect((await wsGraphQL(perCost, page, {}, other)).errors).toBeUndefined();
    expect((await postGraphQL(perCost, page, {}, buyer)).errors).toBeUndefined();
  });
});

describe('per seller on purchaseLabel', () => {
  // Attempts count, successful or not: the limit is on trying to buy, which is what abuse does.
  const PURCHASE =
    'mutation($key: String!) { purchaseLabel(input: { quoteId: "TGFiZWxRdW90ZToxMDAwMDAw", rateId: "r", signatureOption: NONE, idempotencyKey: $key }) { label { id } userErrors { code } } }';
  const attempt = (token: string, over: 'HTTP' | 'WebSocket' = 'HTTP') => {
    const key = randomUUID();
    return over === 'HTTP'
      ? postGraphQL(perPurchase, PURCHASE, { key }, token)
      : wsGraphQL(perPurchase, PURCHASE, { key }, token);
  };
  /** Spends this seller's purchase bucket, whatever earlier attempts left of it. */
  const spendPurchases = async (token: string) => {
    for (let i = 0; i <= PURCHASE_LIMIT; i += 1) {
      if (codeOf(await attempt(token)) === 'RATE_LIMITED') return;
    }
    throw new Error('the purchase limit never refused');
  };
  // The bucket is the seller's, not the token's: each test takes a seller no other one spends.
  const [FIRST, SECOND, THIRD] = [0, 1, 2];

  it('refuses the attempt after the limit with 429 and RATE_LIMITED, before the purchase rules', async () => {
    const seller = perPurchase.tokens.seller[FIRST];
    for (let i = 0; i < PURCHASE_LIMIT; i += 1) {
      const allowed = await attempt(seller);
      expect(allowed.errors).toBeUndefined();
      expect(JSON.stringify(allowed.data)).toMatch(/QUOTE_NOT_FOUND/);
    }
    const refused = await attempt(seller);
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.errors?.[0]?.extensions?.limit).toBe('PURCHASES');
    expect(refused.data ?? null).toBeNull();
  });

  it('counts the same seller over WebSocket', async () => {
    const seller = perPurchase.tokens.seller[SECOND];
    await spendPurchases(seller);
    expect(codeOf(await attempt(seller, 'WebSocket'))).toBe('RATE_LIMITED');
  });

  it('leaves other sellers and other operations alone', async () => {
    const spent = perPurchase.tokens.seller[SECOND];
    await spendPurchases(spent);
    const other = await attempt(perPurchase.tokens.seller[THIRD]);
    expect(other.errors).toBeUndefined();
    const read = await postGraphQL(perPurchase, '{ viewer { role } }', {}, spent);
    expect(read.errors).toBeUndefined();
  });
});
