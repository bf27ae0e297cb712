import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookAttempt, WebhookDelivery } from '../../src/entities';
import { WebhookDeliveryStatus } from '../../src/entities/enums';
import { CreateWebhookEndpointDocument } from '../generated/operations';
import { createShipment } from '../support/shipments';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { waitFor } from '../support/wait';

/**
 * Two instances, both running the webhook worker over one PostgreSQL schema, race for the same
 * pending deliveries: the lease (FOR UPDATE SKIP LOCKED) lets each event reach the receiver once.
 */
const WEBHOOKS = { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '10' };
const EVENTS = 8;

let a: TestServer;
const peers: TestServer[] = [];
let receiver: Server;
const received: string[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string }).id);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  // The first instance writes the events with its worker off, so they wait for the race.
  a = await startTestServer(WEBHOOKS);
});
afterAll(async () => {
  for (const peer of peers) await peer.stop();
  await a?.stop();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('outgoing webhooks on two instances', () => {
  it('deliver each event once per endpoint', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const created = await a.gql(
      CreateWebhookEndpointDocument,
      { input: { url: `http://127.0.0.1:${port}/hooks`, events: ['label.purchased'] } },
      a.tokens.seller[0],
    );
    expect(created.data?.createWebhookEndpoint.userErrors).toEqual([]);
    for (let i = 0; i < EVENTS; i++) await createShipment(a);
    expect(await a.db.manager.count(WebhookDelivery)).toBe(EVENTS);

    const on = { ...WEBHOOKS, WEBHOOK_WORKER: 'on' };
    const [b, c] = await Promise.all([
      startTestServer(on, { peerOf: a }),
      startTestServer(on, { peerOf: a }),
    ]);
    peers.push(b, c);
    await waitFor('every delivery settled', async () => {
      const pending = await a.db.manager.countBy(WebhookDelivery, {
        status: WebhookDeliveryStatus.PENDING,
      });
      return pending === 0;
    });
    // A late duplicate would arrive within a few polls.
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(received).toHaveLength(EVENTS);
    expect(new Set(received).size).toBe(EVENTS);
    expect(await a.db.manager.count(WebhookAttempt)).toBe(EVENTS);
    const rows = await a.db.manager.find(WebhookDelivery);
    expect(
      rows.every((d) => d.status === WebhookDeliveryStatus.DELIVERED && d.attempts === 1),
    ).toBe(true);
  });
});
