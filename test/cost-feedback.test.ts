import { codeOf, freshToken, postGraphQL, wsGraphQL } from './support/security-clients';
import type { Answer } from './support/security-clients';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/**
 * Cost feedback in Shopify's shape: every response says what it asked for, what it cost and
 * what is left, the budget falls by the actual cost (a page is charged for the rows it returned,
 * not for `first`), and the IETF RateLimit headers say the same over HTTP. The bucket here holds
 * 5,000 points and refills over 5,000 s, so nothing refills during a test.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    RATE_LIMITS: 'on',
    RATE_LIMIT_IP_PER_MINUTE: '10000',
    GRAPHQL_MAX_COST: '5000',
    RATE_LIMIT_COST_BURST: '5000',
    RATE_LIMIT_COST_PER_SECOND: '1',
  });
});
afterAll(() => server.stop());

interface Cost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}
const costOf = (answer: Answer) => answer.extensions?.cost as Cost;
const token = () => freshToken(server, server.tokens.seller[0]);
const ORDERS = (first: number) => `{ orders(first: ${first}) { nodes { id number } } }`;

describe('extensions.cost', () => {
  it('reports the requested and actual cost and what is left, on every response', async () => {
    const answer = await postGraphQL(server, '{ viewer { role } }', {}, await token());
    expect(answer.errors).toBeUndefined();
    expect(costOf(answer)).toEqual({
      requestedQueryCost: expect.any(Number),
      actualQueryCost: expect.any(Number),
      throttleStatus: {
        maximumAvailable: 5000,
        currentlyAvailable: expect.any(Number),
        restoreRate: 1,
      },
    });
    expect(costOf(answer).throttleStatus.currentlyAvailable).toBe(
      5000 - (costOf(answer).actualQueryCost as number),
    );
  });

  it('charges a page for the rows it returned, not for first', async () => {
    const mine = await token();
    const page = await postGraphQL(server, ORDERS(100), {}, mine);
    const returned = (page.data?.orders as { nodes: unknown[] }).nodes.length;
    expect(returned).toBeGreaterThan(0);
    expect(returned).toBeLessThan(100);
    const cost = costOf(page);
    // Each order row costs the same: the actual cost is the requested one scaled to the rows.
    expect(cost.actualQueryCost).toBe(Math.ceil((cost.requestedQueryCost * returned) / 100));
    expect(cost.throttleStatus.currentlyAvailable).toBe(5000 - (cost.actualQueryCost as number));
  });

  it('lowers the budget by each request’s actual cost, across HTTP and WebSocket', async () => {
    const mine = await token();
    const one = costOf(await postGraphQL(server, ORDERS(100), {}, mine));
    const two = costOf(await wsGraphQL(server, ORDERS(100), {}, mine));
    const three = costOf(await postGraphQL(server, ORDERS(3), {}, mine));
    expect(two.actualQueryCost).toBe(one.actualQueryCost);
    expect(two.throttleStatus.currentlyAvailable).toBe(
      one.throttleStatus.currentlyAvailable - (two.actualQueryCost as number),
    );
    expect(three.throttleStatus.currentlyAvailable).toBe(
      two.throttleStatus.currentlyAvailable - (three.actualQueryCost as number),
    );
  });

  it('charges an object that came back null for itself, not its selection', async () => {
    const answer = await postGraphQL(
      server,
      '{ order(id: "T3JkZXI6OTk5OTk5") { id number status placedAt } }',
      {},
      await token(),
    );
    expect(answer.data?.order).toBeNull();
    expect(costOf(answer).actualQueryCost).toBeLessThan(costOf(answer).requestedQueryCost);
  });
});

describe('RateLimit headers', () => {
  it('state the policy and what remains, as extensions.cost does', async () => {
    const answer = await postGraphQL(server, ORDERS(10), {}, await token());
    const left = costOf(answer).throttleStatus.currentlyAvailable;
    expect(answer.headers?.get('ratelimit-policy')).toBe('"cost";q=5000;w=5000');
    expect(answer.headers?.get('ratelimit')).toMatch(new RegExp(`^"cost";r=${left};t=\\d+$`));
  });
});

describe('THROTTLED', () => {
  it('refuses, before running, a request the budget cannot afford, with 429, Retry-After and its cost', async () => {
    const mine = await token();
    // Each of these reserves 1,400 points and is charged for the few rows it returns, until
    // what is left cannot cover the reservation.
    const expensive = '{ orders(first: 100) { nodes { id number status placedAt } } }';
    let refused: Answer | null = null;
    for (let i = 0; i < 20 && !refused; i += 1) {
      const answer = await postGraphQL(server, expensive, {}, mine);
      if (answer.status === 429) refused = answer;
    }
    expect(refused).not.toBeNull();
    const answer = refused as Answer;
    expect(codeOf(answer)).toBe('THROTTLED');
    expect(answer.data ?? null).toBeNull();
    expect(Number(answer.headers?.get('retry-after'))).toBeGreaterThan(0);
    const cost = costOf(answer);
    expect(cost.actualQueryCost).toBeNull();
    expect(cost.requestedQueryCost).toBeGreaterThan(cost.throttleStatus.currentlyAvailable);
    expect(answer.errors?.[0]?.extensions?.cost).toEqual(cost);
    // Refused requests cost nothing: a cheap one still runs from what is left.
    const cheap = await postGraphQL(server, '{ viewer { role } }', {}, mine);
    expect(cheap.errors).toBeUndefined();
    expect(costOf(cheap).throttleStatus.currentlyAvailable).toBe(
      cost.throttleStatus.currentlyAvailable - (costOf(cheap).actualQueryCost as number),
    );
  });
});
