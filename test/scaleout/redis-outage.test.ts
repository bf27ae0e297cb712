import net from 'node:net';
import type { Redis } from 'ioredis';
import { Shipment } from '../../src/entities';
import { ShipmentUpdatedDocument } from '../generated/operations';
import type { ShipmentUpdatedSubscription } from '../generated/operations';
import { carrierEvent, postCarrierEvent } from '../support/carrier';
import { createShipment } from '../support/shipments';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { testRedisUrl } from '../support/test-stores';
import { subscribe, wsClient } from '../support/ws-client';
import type { LiveSubscription } from '../support/ws-client';
import { redisClient, subscriberCount } from './helpers';
import { waitFor } from '../support/wait';

/** A TCP hop in front of Redis that the test can cut and restore, like a network partition. */
class RedisLink {
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | null = null;
  port = 0;

  constructor(private readonly target: URL) {}

  async open(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port || 6379), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

let link: RedisLink;
let a: TestServer;
let b: TestServer;
let redis: Redis;
let sub: LiveSubscription<ShipmentUpdatedSubscription> | undefined;

beforeAll(async () => {
  link = new RedisLink(new URL(testRedisUrl() ?? ''));
  await link.open();
  const env = { REDIS_URL: `redis://127.0.0.1:${link.port}` };
  a = await startTestServer(env);
  b = await startTestServer(env, { peerOf: a });
  redis = redisClient();
});
afterAll(async () => {
  await sub?.close();
  redis?.disconnect();
  await b?.stop();
  await a?.stop();
  await link?.cut();
});

const readiness = async (server: TestServer) =>
  (await fetch(new URL('/readyz', server.url))).status;

describe('a Redis outage', () => {
  it('makes instances unready, keeps them serving, and heals when Redis is back', async () => {
    const s = await createShipment(a);
    sub = subscribe(wsClient(b, s.buyerToken), ShipmentUpdatedDocument, {
      shipmentId: s.shipmentGid,
    });
    const channel = `${b.stores.redisChannelPrefix}shipment:changed:${s.shipment.id}`;
    const subscribed = () =>
      waitFor(
        `B subscribed to ${channel}`,
        async () => (await subscriberCount(redis, channel)) > 0,
      );
    await subscribed();
    expect(await readiness(a)).toBe(200);

    await link.cut();
    await waitFor('A to report unready', async () => (await readiness(a)) === 503);
    await waitFor('B to report unready', async () => (await readiness(b)) === 503);
    // Still serving: the carrier's event is taken in and stored, only the live push is lost.
    const during = carrierEvent(s.trackingNumber, { status: 'IN_TRANSIT' });
    expect((await postCarrierEvent(a, 'USPS', during)).status).toBe(200);
    expect((await a.db.manager.findOneByOrFail(Shipment, { id: s.shipment.id })).status).toBe(
      'IN_TRANSIT',
    );

    await link.open();
    await waitFor('A to report ready', async () => (await readiness(a)) === 200);
    await waitFor('B to report ready', async () => (await readiness(b)) === 200);
    // B's subscribe connection came back with its channels.
    await subscribed();
    const after = carrierEvent(s.trackingNumber, { status: 'OUT_FOR_DELIVERY' });
    expect((await postCarrierEvent(a, 'USPS', after)).status).toBe(200);
    // The event from the outage may or may not have been flushed on reconnect; the later one arrives.
    let status: string | undefined;
    while (status !== 'OUT_FOR_DELIVERY') {
      const pushed = await sub.next();
      expect(pushed.errors).toBeUndefined();
      status = pushed.data?.shipmentUpdated.shipment.status;
    }
  });
});
