import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import WebSocket from 'ws';
import { hashToken } from '../../src/auth/token-hash';
import { ApiToken } from '../../src/entities';
import { codeOf, postGraphQL, wsGraphQL } from '../support/security-clients';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { redisClient } from './helpers';

/**
 * Rate limits across instances: with REDIS_URL every instance spends the same counters, so a
 * client's limit does not grow with the number of instances it reaches. Two pairs of instances,
 * each pair over one database and one Redis namespace: one with a small cost budget, one with a
 * small per-IP limit.
 */

let costA: TestServer;
let costB: TestServer;
let ipA: TestServer;
let ipB: TestServer;
let redis: Redis;

beforeAll(async () => {
  const cost = {
    RATE_LIMITS: 'on',
    RATE_LIMIT_IP_PER_MINUTE: '10000',
    GRAPHQL_MAX_COST: '1000',
    RATE_LIMIT_COST_BURST: '1000',
    RATE_LIMIT_COST_PER_SECOND: '1',
  };
  const ip = { RATE_LIMITS: 'on', RATE_LIMIT_IP_PER_MINUTE: '4' };
  [costA, ipA] = await Promise.all([startTestServer(cost), startTestServer(ip)]);
  [costB, ipB] = await Promise.all([
    startTestServer(cost, { peerOf: costA }),
    startTestServer(ip, { peerOf: ipA }),
  ]);
  redis = redisClient();
});
afterAll(async () => {
  redis?.disconnect();
  await Promise.all([costB, ipB].map((server) => server?.stop()));
  await Promise.all([costA, ipA].map((server) => server?.stop()));
});

/** A token of its own for the first seed seller: a budget no other test has spent. */
async function freshSellerToken(server: TestServer): Promise<{ token: string; id: number }> {
  const like = await server.db.manager.findOneByOrFail(ApiToken, {
    tokenHash: hashToken(server.tokens.seller[0]),
  });
  const token = `shared-limit-test-${randomUUID()}`;
  const row = await server.db.transaction(({ manager }) =>
    manager.save(
      manager.create(ApiToken, {
        tokenHash: hashToken(token),
        role: like.role,
        sellerId: like.sellerId,
        buyerId: like.buyerId,
        label: 'shared rate limit test',
        createdAt: new Date(),
        revokedAt: null,
      }),
    ),
  );
  return { token, id: row.id };
}

// 50 orders cost 812.5 of the 1,000-point budget, earned back at 1 point a second.
const PAGE = '{ orders(first: 50) { edges { node { id number } } } }';

describe('the cost budget of a token, with two instances sharing Redis', () => {
  it('refuses on instance B a token whose budget was spent through instance A', async () => {
    const { token, id } = await freshSellerToken(costA);
    const onA = await postGraphQL(costA, PAGE, {}, token);
    expect(onA.errors).toBeUndefined();
    // Charged the rows it returned; 813 must be free for the next page.
    const { actualQueryCost } = onA.extensions?.cost as { actualQueryCost: number };

    const onB = await postGraphQL(costB, PAGE, {}, token);
    expect(onB.status).toBe(429);
    expect(codeOf(onB)).toBe('THROTTLED');
    expect(onB.errors?.[0]?.extensions?.limit).toBe('COST');
    // Over WebSocket too, and the counter is the one in Redis: the actual cost charged on A.
    expect(codeOf(await wsGraphQL(costB, PAGE, {}, token))).toBe('THROTTLED');
    const key = `${costA.stores.redisChannelPrefix}limit:cost:token:${id}`;
    expect(Number(await redis.get(key))).toBe(actualQueryCost);
  });

  it("leaves another token's budget alone on either instance", async () => {
    const spent = await freshSellerToken(costA);
    const other = await freshSellerToken(costA);
    expect((await postGraphQL(costA, PAGE, {}, spent.token)).errors).toBeUndefined();
    expect(codeOf(await postGraphQL(costB, PAGE, {}, spent.token))).toBe('THROTTLED');
    expect((await postGraphQL(costB, PAGE, {}, other.token)).errors).toBeUndefined();
  });
});

describe('the per-IP limit, with two instances sharing Redis', () => {
  it('counts requests and WebSocket handshakes to both instances in one bucket', async () => {
    const statuses: number[] = [];
    for (const server of [ipA, ipB, ipA, ipB]) {
      statuses.push((await postGraphQL(server, '{ __typename }')).status);
    }
    // Four a minute in all: a fifth request, to either instance, is refused.
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect((await postGraphQL(ipA, '{ __typename }')).status).toBe(429);
    expect(await upgradeStatus(ipB)).toBe(429);
  });
});

/** The HTTP status of a WebSocket upgrade (101 when it opened). */
function upgradeStatus(server: TestServer): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    socket.once('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    socket.once('error', () => undefined);
  });
}
