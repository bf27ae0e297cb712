import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Buyer, Notification, NotificationAttempt } from '../src/entities';
import {
  NotificationAttemptOutcome,
  NotificationChannel,
  NotificationKind,
  NotificationStatus,
} from '../src/entities/enums';
import type { NotifyHttpBody } from '../src/notifications/http-sink';
import { configuredAdapters } from '../src/notifications/configured-adapters';
import { SIGNATURE_HEADER, verifySignature } from '../src/webhooks/signature';
import { OutboxWorker } from '../src/workers/outbox-worker';
import { createShipment } from './support/shipments';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

const SECRET = 'test-notify-http-secret';
const TIMEOUT_MS = 300;

interface Received {
  body: NotifyHttpBody;
  raw: Buffer;
  headers: http.IncomingHttpHeaders;
}

/** What the receiver answers next: a status, or a stall longer than the timeout. */
let answer: { status: number; stallMs?: number } = { status: 202 };
const received: Received[] = [];
let receiver: http.Server;
let server: TestServer;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const reply = () => {
        if (answer.status >= 200 && answer.status < 300) {
          received.push({
            raw,
            headers: req.headers,
            body: JSON.parse(raw.toString()) as NotifyHttpBody,
          });
        }
        res
          .writeHead(answer.status, { 'content-type': 'text/plain' })
          .end(`answer ${answer.status}`);
      };
      if (answer.stallMs) setTimeout(reply, answer.stallMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  server = await startTestServer({
    NOTIFY_HTTP_URL: `http://127.0.0.1:${port}/notify`,
    NOTIFY_HTTP_SECRET: SECRET,
    NOTIFY_HTTP_TIMEOUT_MS: String(TIMEOUT_MS),
  });
});
afterAll(async () => {
  await server?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});
beforeEach(() => {
  answer = { status: 202 };
});

let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

function worker(): OutboxWorker {
  return new OutboxWorker(server.db, server.logger, {
    adapters: configuredAdapters(server.config.notify, server.db, server.logger),
    maxAttempts: 3,
    retryDelayMs: () => 1000,
    now: clock,
  });
}

/** A notice for `channel`: the label purchase's, moved to that channel (the buyer has a phone). */
async function notice(channel: NotificationChannel): Promise<Notification> {
  const s = await createShipment(server);
  await server.db.manager.update(
    Buyer,
    { id: s.buyer.id },
    { phone: s.buyer.phone ?? '+15555550100' },
  );
  const n = await server.db.manager.findOneByOrFail(Notification, {
    shipmentId: s.shipment.id,
    kind: NotificationKind.SIGNATURE_REQUIRED,
  });
  await server.db.manager.update(Notification, { id: n.id }, { channel });
  return { ...n, channel };
}

const reload = (n: Notification) => server.db.manager.findOneByOrFail(Notification, { id: n.id });
const attemptsOf = (n: Notification) =>
  server.db.manager.find(NotificationAttempt, {
    where: { notificationId: n.id },
    order: { attempt: 'ASC' },
  });
const receivedFor = (n: Notification) => received.filter((r) => r.body.notificationId === n.id);

describe('SMS and push over the HTTP contract', () => {
  it.each([NotificationChannel.SMS, NotificationChannel.PUSH])(
    '%s: POSTs signed JSON; a 2xx answer is delivered',
    async (channel) => {
      const n = await notice(channel);
      await worker().runOnce();
      const [got] = receivedFor(n);
      expect(receivedFor(n)).toHaveLength(1);
      expect(got.body).toMatchObject({ notificationId: n.id, channel, text: n.body });
      expect(got.body.to).toEqual(
        channel === NotificationChannel.PUSH
          ? `buyer:${n.buyerId}`
          : expect.stringMatching(/^\+?\d/),
      );
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.headers['idempotency-key']).toBe(`notification-${n.id}`);
      const header = got.headers[SIGNATURE_HEADER.toLowerCase()] as string;
      expect(verifySignature({ header, rawBody: got.raw, secrets: [SECRET] })).toBe('OK');
      expect(verifySignature({ header, rawBody: got.raw, secrets: ['other'] })).toBe('MISMATCH');
      expect(await reload(n)).toMatchObject({ status: NotificationStatus.SENT, attempts: 1 });
      expect((await attemptsOf(n)).map((a) => a.outcome)).toEqual([
        NotificationAttemptOutcome.SENT,
      ]);
    },
  );

  it('a 4xx answer is a permanent failure: FAILED at once, with the answer', async () => {
    const n = await notice(NotificationChannel.SMS);
    answer = { status: 422 };
    await worker().runOnce();
    const failed = await reload(n);
    expect(failed).toMatchObject({ status: NotificationStatus.FAILED, attempts: 1 });
    expect(failed.lastError).toBe('HTTP 422: answer 422');
    expect(await attemptsOf(n)).toMatchObject([
      { outcome: NotificationAttemptOutcome.FAILED, error: 'HTTP 422: answer 422' },
    ]);
  });

  it('a 5xx answer is retried, and the retry delivers', async () => {
    const n = await notice(NotificationChannel.PUSH);
    answer = { status: 503 };
    await worker().runOnce();
    expect(await reload(n)).toMatchObject({ status: NotificationStatus.PENDING, attempts: 1 });
    answer = { status: 200 };
    offsetMs += 1100;
    await worker().runOnce();
    expect(await reload(n)).toMatchObject({ status: NotificationStatus.SENT, attempts: 2 });
    expect((await attemptsOf(n)).map((a) => [a.outcome, a.error])).toEqual([
      [NotificationAttemptOutcome.RETRY, 'HTTP 503: answer 503'],
      [NotificationAttemptOutcome.SENT, null],
    ]);
  });

  it('no answer within the timeout is retried', async () => {
    const n = await notice(NotificationChannel.SMS);
    answer = { status: 500, stallMs: TIMEOUT_MS * 3 };
    await worker().runOnce();
    const [attempt] = await attemptsOf(n);
    expect(attempt).toMatchObject({
      outcome: NotificationAttemptOutcome.RETRY,
      error: `HTTP timeout after ${TIMEOUT_MS} ms`,
    });
    expect(await reload(n)).toMatchObject({ status: NotificationStatus.PENDING, attempts: 1 });
  });
});
