import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { WebhookAttempt, WebhookDelivery } from '../../src/entities';
import { Role } from '../../src/entities/enums';
import { devToken } from '../../seeds/dev-tokens';
import { CreateWebhookEndpointDocument } from '../generated/operations';
import { buyLabel, pickOrder } from '../support/labels';
import type { GraphQLClient } from '../support/labels';
import { createTestStores } from '../support/test-stores';
import type { TestStores } from '../support/test-stores';
import type { GraphQLResponse } from '../support/test-server';
import { openDataSource, startInstance } from './helpers';
import { waitFor } from '../support/wait';
import { print } from 'graphql';
import type { DocumentNode } from 'graphql';

const client = (url: string): GraphQLClient => ({
  gql: async (document: unknown, variables?: unknown, token?: string | null) => {
    const query = typeof document === 'string' ? document : print(document as DocumentNode);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResponse<never>;
  },
});

let stores: TestStores;
let db: DataSource;
const instances: Array<ReturnType<typeof startInstance>> = [];

beforeAll(async () => {
  stores = await createTestStores();
});
afterAll(async () => {
  for (const i of instances) if (i.child.exitCode === null) i.child.kill('SIGKILL');
  await db?.destroy();
  await stores?.release();
});

/**
 * The done-when of outgoing webhooks, end to end: `npm start`'s entry point in a process of its
 * own sends a label.purchased event to a receiver on loopback that first answers 500, the process
 * is killed, a new one takes over, meets a timeout, and delivers. The receiver, deduping on the
 * event id, processes the event exactly once.
 */
it('a receiver gets the event once across a 500, a process restart and a timeout', async () => {
  const script: Array<number | 'hang'> = [500, 'hang'];
  const arrivals: Array<{ id: string; answer: number | 'hang' }> = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { id } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string };
      const answer = script.shift() ?? 200;
      arrivals.push({ id, answer });
      if (answer !== 'hang') res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const env = {
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_TIMEOUT_MS: '500',
      WEBHOOK_BACKOFF_BASE_MS: '1500',
      OUTBOX_WORKER: 'off',
      CARRIER_RECONCILER: 'off',
    };
    const first = startInstance(stores, { LOG_LEVEL: 'error', ...env });
    instances.push(first);
    const api = client(await first.served);
    const seller = devToken(Role.SELLER, 1);
    const port = (receiver.address() as AddressInfo).port;
    const created = await api.gql(
      CreateWebhookEndpointDocument,
      { input: { url: `http://127.0.0.1:${port}/hooks`, events: ['label.purchased'] } },
      seller,
    );
    expect(created.data?.createWebhookEndpoint.userErrors).toEqual([]);
    await buyLabel(api, seller, { orderId: (await pickOrder(api, seller)).id });

    db = await openDataSource(stores, false);
    await waitFor('the 500 to be logged', async () => (await db.manager.count(WebhookAttempt)) > 0);
    first.child.kill('SIGKILL');
    await first.exit;

    const second = startInstance(stores, { LOG_LEVEL: 'error', ...env });
    instances.push(second);
    await second.served;
    await waitFor('the event to be accepted', () => arrivals.some((a) => a.answer === 200), 30_000);
    second.child.kill('SIGTERM');
    await second.exit;

    expect(arrivals.map((a) => a.answer)).toEqual([500, 'hang', 200]);
    expect(new Set(arrivals.map((a) => a.id)).size).toBe(1);
    const [delivery] = await db.manager.find(WebhookDelivery);
    expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 3, eventId: arrivals[0].id });
  } finally {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
});
