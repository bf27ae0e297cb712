import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../src/entities';
import { toGlobalId } from '../src/core/global-id';
import { SignatureOption, WebhookDeliveryStatus } from '../src/entities/enums';
import { isNonPublicAddress, webhookUrlProblem } from '../src/webhooks/url-policy';
import { WebhookWorker, httpPost } from '../src/workers/webhook-worker';
import type { WebhookWorkerOptions } from '../src/workers/webhook-worker';
import {
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  RedeliverWebhookDocument,
  VoidLabelFullDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointsDocument,
} from './generated/operations';
import { carrierEvent, minutesFromNow, pngSignature, postCarrierEvent } from './support/carrier';
import { createShipment } from './support/shipments';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/** The verification recipe exactly as the README prints it. */
function readmeRecipe(): (secret: string, header: string, rawBody: Buffer) => boolean {
  const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const block = /<!-- webhook-verify-recipe -->\s*```js\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README has no webhook verification recipe');
  const load = new Function('require', `${block[1]}\nreturn verifyCountersignWebhook;`);
  return load(require) as ReturnType<typeof readmeRecipe>;
}
const verify = readmeRecipe();

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
}

/** A webhook receiver on loopback; answers each request with the next scripted behaviour. */
class Receiver {
  readonly received: Received[] = [];
  /** 'hang' never answers (the sender times out); a number is the status; then 200. */
  script: Array<number | 'hang'> = [];
  private readonly server: Server;
  private readonly hanging = new Set<() => void>();

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const next = this.script.shift() ?? 200;
        if (next === 'hang') {
          this.hanging.add(() => res.destroy());
          return;
        }
        this.received.push({ headers: req.headers, raw, body: JSON.parse(raw.toString('utf8')) });
        res.writeHead(next).end();
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** Events a receiver that dedupes on the event id would process. */
  distinct(type?: string): string[] {
    const ids = this.received.filter((r) => !type || r.body.type === type).map((r) => r.body.id);
    return [...new Set(ids)];
  }

  async close(): Promise<void> {
    this.hanging.forEach((end) => end());
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const TIMEOUT_MS = 300;
let server: TestServer;
let receiver: Receiver;
let url: string;

beforeAll(async () => {
  server = await startTestServer({
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
    WEBHOOK_BACKOFF_BASE_MS: '1',
    WEBHOOK_MAX_ATTEMPTS: '3',
    WEBHOOK_DISABLE_AFTER: '2',
    WEBHOOK_POLL_MS: '20',
  });
});
afterAll(() => server.stop());

beforeEach(async () => {
  receiver = new Receiver();
  url = await receiver.listen();
});
afterEach(async () => {
  await receiver.close();
  // Each test registers its own endpoints.
  await server.db.manager.clear(WebhookEndpoint);
  await server.db.manager.clear(WebhookDelivery);
});

const worker = (options: WebhookWorkerOptions = {}) =>
  new WebhookWorker(server.db, server.config.webhooks, server.logger, options);

/** Runs rounds until nothing is due (the backoff is 1 ms in this suite). */
async function drain(w = worker()): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const run = await w.runOnce();
    if (run.claimed === 0) {
      const pending = await server.db.manager.countBy(WebhookDelivery, {
        status: WebhookDeliveryStatus.PENDING,
      });
      if (pending === 0) return;
    }
  }
}

async function register(token: string, events: string[], at = url) {
  const res = await server.gql(
    CreateWebhookEndpointDocument,
    { input: { url: at, events } },
    token,
  );
  const out = res.data!.createWebhookEndpoint;
  expect(out.userErrors).toEqual([]);
  return { endpoint: out.endpoint!, secret: out.secret! };
}

const sellerToken = () => server.tokens.seller[0];

async function deliveriesOf(endpointId: string, token = sellerToken()) {
  const res = await server.gql(WebhookDeliveriesDocument, { endpointId, first: 20 }, token);
  return res.data!.webhookDeliveries.edges.map((e) => e.node);
}

describe('outgoing webhooks', () => {
  it('delivers label.purchased once, signed so the README recipe verifies it', async () => {
    const { endpoint, secret } = await register(sellerToken(), ['label.purchased']);
    const s = await createShipment(server);
    await drain();

    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(got.body.type).toBe('label.purchased');
    expect(got.body.data).toMatchObject({ trackingNumber: s.trackingNumber });
    expect(got.headers['countersign-event-id']).toBe(got.body.id);
    const header = got.headers['countersign-signature'] as string;
    expect(verify(secret, header, got.raw)).toBe(true);
    expect(verify('not-the-secret', header, got.raw)).toBe(false);
    expect(verify(secret, header, Buffer.concat([got.raw, Buffer.from(' ')]))).toBe(false);

    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: 'DELIVERED', eventId: got.body.id });
    expect(delivery.attempts).toEqual([expect.objectContaining({ attemptNo: 1, statusCode: 200 })]);
  });

  it('sends label.voided, shipment.updated and proof.recorded to the endpoints that want them', async () => {
    const all = await register(sellerToken(), [
      'label.voided',
      'shipment.updated',
      'proof.recorded',
    ]);
    const s = await createShipment(server);
    const delivered = await postCarrierEvent(
      server,
      'USPS',
      carrierEvent(s.trackingNumber, {
        status: 'DELIVERED',
        signature: {
          signerName: s.shipTo.name,
          imageDataUrl: pngSignature(),
          signedAt: minutesFromNow(0),
          location: 'Porch',
        },
      }),
    );
    expect(delivered.status).toBe(200);
    const other = await createShipment(server, { signature: SignatureOption.NONE });
    const voided = await server.gql(
      VoidLabelFullDocument,
      { input: { labelId: toGlobalId('Label', other.shipment.labelId) } },
      sellerToken(),
    );
    expect(voided.data?.voidLabel.userErrors).toEqual([]);
    await drain();

    const types = receiver.received.map((r) => r.body.type).sort();
    expect(types).toEqual(['label.voided', 'proof.recorded', 'shipment.updated']);
    for (const r of receiver.received) {
      expect(verify(all.secret, r.headers['countersign-signature'] as string, r.raw)).toBe(true);
    }
  });

  it('retries a 500 and delivers the event once, with both attempts logged', async () => {
    const { endpoint } = await register(sellerToken(), ['label.purchased']);
    receiver.script = [500];
    await createShipment(server);
    await drain();

    expect(receiver.received).toHaveLength(2);
    expect(receiver.distinct()).toHaveLength(1);
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery.status).toBe('DELIVERED');
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([500, 200]);
  });

  it('retries after a timeout and delivers the event once', async () => {
    const { endpoint } = await register(sellerToken(), ['label.purchased']);
    receiver.script = ['hang'];
    await createShipment(server);
    await drain();

    expect(receiver.distinct()).toHaveLength(1);
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery.status).toBe('DELIVERED');
    expect(delivery.attempts).toEqual([
      expect.objectContaining({ attemptNo: 1, statusCode: null, error: 'Timed out' }),
      expect.objectContaining({ attemptNo: 2, statusCode: 200 }),
    ]);
    expect(delivery.attempts[0].durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
  });

  it('a worker that dies mid-delivery is taken over after its lease: one event for the receiver', async () => {
    await register(sellerToken(), ['label.purchased']);
    await createShipment(server);
    // Worker A posts, then its process "dies" before recording the outcome.
    const dead = worker({
      leaseMs: 60_000,
      post: async (...args) => {
        await httpPost(['127.0.0.1'])(...args);
        return new Promise(() => undefined);
      },
    });
    void dead.runOnce();
    for (let i = 0; i < 100 && receiver.received.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(receiver.received).toHaveLength(1);
    // Meanwhile a live worker leaves the leased row alone...
    expect((await worker().runOnce()).claimed).toBe(0);
    // ...until the lease runs out (the restarted process, a minute later).
    await drain(worker({ now: () => new Date(Date.now() + 61_000) }));

    expect(receiver.received).toHaveLength(2);
    expect(receiver.distinct()).toHaveLength(1);
  });

  it('a restarted process delivers what was left pending', async () => {
    await register(sellerToken(), ['label.purchased']);
    await createShipment(server);
    expect(receiver.received).toHaveLength(0);
    // The same database, a new process with its worker on.
    const restarted = await startTestServer(
      { WEBHOOK_WORKER: 'on', WEBHOOK_POLL_MS: '20', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
      { peerOf: server },
    );
    try {
      for (let i = 0; i < 200 && receiver.received.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await restarted.stop();
    }
    expect(receiver.distinct()).toHaveLength(1);
  });

  it('redelivers by hand with the same event id', async () => {
    const { endpoint } = await register(sellerToken(), ['label.purchased']);
    await createShipment(server);
    await drain();
    const [first] = await deliveriesOf(endpoint.id);

    const res = await server.gql(
      RedeliverWebhookDocument,
      { input: { deliveryId: first.id } },
      sellerToken(),
    );
    expect(res.data!.redeliverWebhook.userErrors).toEqual([]);
    await drain();

    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].body.id).toBe(receiver.received[0].body.id);
    expect(receiver.received[1].raw.equals(receiver.received[0].raw)).toBe(true);
    const all = await deliveriesOf(endpoint.id);
    expect(all.map((d) => d.status)).toEqual(['DELIVERED', 'DELIVERED']);
  });

  it('disables an endpoint after persistent failure and tells its owner why', async () => {
    const { endpoint } = await register(sellerToken(), ['label.purchased']);
    receiver.script = Array<number>(6).fill(503);
    await createShipment(server);
    await createShipment(server);
    await drain();

    const attempts = await server.db.manager.count(WebhookAttempt);
    expect(attempts).toBeGreaterThanOrEqual(6);
    const res = await server.gql(WebhookEndpointsDocument, {}, sellerToken());
    const mine = res.data!.webhookEndpoints.find((e) => e.id === endpoint.id)!;
    expect(mine.status).toBe('DISABLED');
    expect(mine.disabledReason).toMatch(/Disabled after 2 deliveries in a row failed/);
    const deliveries = await deliveriesOf(endpoint.id);
    expect(deliveries.map((d) => d.status)).toEqual(['FAILED', 'FAILED']);

    // A disabled endpoint gets nothing new, and cannot be redelivered to.
    await createShipment(server);
    await drain();
    expect(receiver.received).toHaveLength(6);
    const again = await server.gql(
      RedeliverWebhookDocument,
      { input: { deliveryId: deliveries[0].id } },
      sellerToken(),
    );
    expect(again.data!.redeliverWebhook.userErrors[0].code).toBe('WEBHOOK_ENDPOINT_DISABLED');
  });

  it('refuses loopback, private and plain-http URLs unless allow-listed', async () => {
    for (const bad of [
      'http://example.com/hook',
      'https://127.0.0.2/hook',
      'https://10.1.2.3/hook',
      'https://[::1]/hook',
      'https://localhost/hook',
    ]) {
      const res = await server.gql(
        CreateWebhookEndpointDocument,
        { input: { url: bad, events: ['label.purchased'] } },
        sellerToken(),
      );
      expect(res.data!.createWebhookEndpoint.userErrors).toEqual([
        expect.objectContaining({ code: 'WEBHOOK_URL_NOT_ALLOWED', field: ['input', 'url'] }),
      ]);
    }
    const unknownEvent = await server.gql(
      CreateWebhookEndpointDocument,
      { input: { url, events: ['label.eaten'] } },
      sellerToken(),
    );
    expect(unknownEvent.data!.createWebhookEndpoint.userErrors[0].code).toBe('INVALID_INPUT');

    const policy = { allowedHosts: [] as string[] };
    expect(await webhookUrlProblem('http://127.0.0.1:9/x', policy)).toMatch(/https/);
    expect(await webhookUrlProblem('https://127.0.0.1:9/x', policy)).toMatch(/private/);
    const resolvesPrivate = { allowedHosts: [], resolve: async () => ['192.168.1.5'] };
    expect(await webhookUrlProblem('https://hooks.example.com/x', resolvesPrivate)).toMatch(
      /private/,
    );
    const resolvesPublic = { allowedHosts: [], resolve: async () => ['93.184.216.34'] };
    expect(await webhookUrlProblem('https://hooks.example.com/x', resolvesPublic)).toBeNull();
    for (const a of ['169.254.169.254', '172.20.0.1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1']) {
      expect(isNonPublicAddress(a)).toBe(true);
    }
    expect(isNonPublicAddress('2606:4700::1111')).toBe(false);
    expect(isNonPublicAddress('8.8.8.8')).toBe(false);
  });

  it('re-checks the address at delivery time (a host that now resolves privately gets nothing)', async () => {
    const { endpoint } = await register(sellerToken(), ['label.purchased']);
    await server.db.manager.update(
      WebhookEndpoint,
      { id: Number(Buffer.from(endpoint.id, 'base64url').toString('utf8').split(':')[1]) },
      { url: 'https://rebound.example.com/hook' },
    );
    await createShipment(server);
    await drain(worker({ resolve: async () => ['127.0.0.1'] }));
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery.attempts[0].error).toMatch(/private/);
    expect(receiver.received).toHaveLength(0);
  });

  it('connects only to the addresses it checked: a name resolving to loopback is refused at connect', async () => {
    const port = new URL(url).port;
    const send = httpPost([]);
    await expect(
      send(`http://localhost:${port}/hooks`, { headers: {}, body: '{}', timeoutMs: 1000 }),
    ).rejects.toMatchObject({ code: 'EADDRNOTPUBLIC' });
    expect(receiver.received).toHaveLength(0);
    // The allow-listed host is let through.
    await httpPost(['localhost'])(`http://localhost:${port}/hooks`, {
      headers: {},
      body: '{"id":"x"}',
      timeoutMs: 1000,
    });
    expect(receiver.received).toHaveLength(1);
  });

  it("keeps a seller's endpoints and deliveries from other sellers and buyers", async () => {
    const { endpoint } = await register(sellerToken(), ['label.purchased']);
    await createShipment(server);
    await drain();
    const [delivery] = await deliveriesOf(endpoint.id);
    const other = server.tokens.seller[1];

    const list = await server.gql(WebhookEndpointsDocument, {}, other);
    expect(list.data!.webhookEndpoints).toEqual([]);
    expect(await deliveriesOf(endpoint.id, other)).toEqual([]);
    const redeliver = await server.gql(
      RedeliverWebhookDocument,
      { input: { deliveryId: delivery.id } },
      other,
    );
    expect(redeliver.data!.redeliverWebhook.userErrors[0].code).toBe('WEBHOOK_DELIVERY_NOT_FOUND');
    const del = await server.gql(
      DeleteWebhookEndpointDocument,
      { input: { endpointId: endpoint.id } },
      other,
    );
    expect(del.data!.deleteWebhookEndpoint.userErrors[0].code).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
    const buyer = await server.gql(WebhookEndpointsDocument, {}, server.tokens.buyer[0]);
    expect(buyer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // Staff see the platform's endpoints, not the seller's.
    const staff = await server.gql(WebhookEndpointsDocument, {}, server.tokens.admin);
    expect(staff.data!.webhookEndpoints).toEqual([]);
  });

  it("a platform endpoint receives every seller's events", async () => {
    await register(server.tokens.admin, ['label.purchased']);
    await createShipment(server, { seller: 0 });
    await createShipment(server, { seller: 1 });
    await drain();
    const sellers = receiver.received.map((r) => r.body.data.sellerId);
    expect(new Set(sellers).size).toBe(2);
  });
});
