import type { Redis } from 'ioredis';
import type { ShipmentChanged } from '../../src/pubsub/event-bus';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { collect, redisClient, subscriberCount } from './helpers';
import { waitFor } from '../support/wait';

const change = (shipmentId: number, sellerId = 1): ShipmentChanged => ({
  shipmentId,
  orderId: 100 + shipmentId,
  sellerId,
  buyerId: 7,
});

describe('pub/sub across instances over Redis', () => {
  let a: TestServer;
  let b: TestServer;
  let redis: Redis;

  beforeAll(async () => {
    a = await startTestServer();
    b = await startTestServer({}, { peerOf: a });
    redis = redisClient();
  });
  afterAll(async () => {
    redis?.disconnect();
    await b?.stop();
    await a?.stop();
  });

  /** Waits until some instance's subscribe connection listens on the topic in Redis. */
  const subscribedInRedis = (server: TestServer, topic: string) =>
    waitFor(`a Redis subscriber on ${topic}`, async () => {
      const channel = `${server.stores.redisChannelPrefix}${topic}`;
      return (await subscriberCount(redis, channel)) > 0;
    });

  it('delivers a change published on one instance to subscribers on the other, once each', async () => {
    const onA = collect(a.events.subscribe('shipment:changed', 41));
    const onB = collect(b.events.subscribe('shipment:changed', 41));
    // collect() has asked both for a first item, which registers their listeners synchronously.
    await subscribedInRedis(b, 'shipment:changed:41');

    a.events.publish('shipment:changed', 41, change(41));
    expect(await onB.until(1)).toEqual([change(41)]);
    // Now B publishes: A hears it through Redis after anything Redis sent A before it, so an echo
    // of A's own first event would show up here as a third item.
    b.events.publish('shipment:changed', 41, { ...change(41), orderId: 999 });
    expect(await onA.until(2)).toEqual([change(41), { ...change(41), orderId: 999 }]);
    expect(await onB.until(2)).toEqual([change(41), { ...change(41), orderId: 999 }]);
    await Promise.all([onA.stop(), onB.stop()]);
  });

  it('routes by topic: a subscriber of another shipment hears nothing', async () => {
    const other = collect(b.events.subscribe('shipment:changed', 43));
    const mine = collect(b.events.subscribe('shipment:changed', 42));
    await subscribedInRedis(b, 'shipment:changed:42');
    await subscribedInRedis(b, 'shipment:changed:43');
    a.events.publish('shipment:changed', 42, change(42));
    // Redis delivers in order on one connection: once B has the later marker on 43, an event
    // misrouted to 43 would already be there.
    a.events.publish('shipment:changed', 43, change(43));
    expect(await mine.until(1)).toEqual([change(42)]);
    expect(await other.until(1)).toEqual([change(43)]);
    await Promise.all([mine.stop(), other.stop()]);
  });

  it("keeps another deployment's channels apart when it shares the Redis server", async () => {
    const stranger = await startTestServer();
    try {
      const heard = collect(stranger.events.subscribe('shipment:changed', 44));
      const ours = collect(b.events.subscribe('shipment:changed', 44));
      await subscribedInRedis(stranger, 'shipment:changed:44');
      await subscribedInRedis(b, 'shipment:changed:44');
      a.events.publish('shipment:changed', 44, change(44));
      expect(await ours.until(1)).toEqual([change(44)]);
      // A marker in the stranger's own namespace, published after ours: if ours had reached it,
      // it would arrive first.
      await redis.publish(
        `${stranger.stores.redisChannelPrefix}shipment:changed:44`,
        JSON.stringify({ origin: 'test', detail: change(44, 2) }),
      );
      expect(await heard.until(1)).toEqual([change(44, 2)]);
      await Promise.all([heard.stop(), ours.stop()]);
    } finally {
      await stranger.stop();
    }
  });

  it('stops listening in Redis when the last local subscriber leaves', async () => {
    const sub = collect(b.events.subscribe('seller:shipments', 45));
    await subscribedInRedis(b, 'seller:shipments:45');
    await sub.stop();
    await waitFor('the Redis subscription to end', async () => {
      const channel = `${b.stores.redisChannelPrefix}seller:shipments:45`;
      return (await subscriberCount(redis, channel)) === 0;
    });
  });

  it('reports ready on /readyz while the database and Redis answer', async () => {
    const res = await fetch(new URL('/readyz', b.url));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('refuses to start, saying why, when Redis is unreachable', async () => {
    await expect(startTestServer({ REDIS_URL: 'redis://127.0.0.1:1' })).rejects.toThrow(
      /Redis at redis:\/\/127\.0\.0\.1:1 is unreachable/,
    );
  });
});
