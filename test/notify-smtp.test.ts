import type { AddressObject } from 'mailparser';
import { Notification, NotificationAttempt, NotificationDelivery } from '../src/entities';
import {
  NotificationAttemptOutcome,
  NotificationChannel,
  NotificationKind,
  NotificationStatus,
} from '../src/entities/enums';
import { channelAdapters } from '../src/notifications/channel-adapter';
import { escapeHtml } from '../src/notifications/compose';
import { configuredAdapters } from '../src/notifications/configured-adapters';
import { RecordingSink } from '../src/notifications/recording-sink';
import { SmtpSink } from '../src/notifications/smtp-sink';
import { OutboxWorker } from '../src/workers/outbox-worker';
import type { OutboxWorkerOptions } from '../src/workers/outbox-worker';
import { carrierEvent, postCarrierEvent } from './support/carrier';
import { createShipment } from './support/shipments';
import type { ShipmentFixture } from './support/shipments';
import { closedPort, startSmtpServer } from './support/smtp';
import type { SmtpBehaviour, TestSmtpServer } from './support/smtp';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let smtp: TestSmtpServer;
let server: TestServer;
const FROM = 'Countersign <notices@countersign.example>';
const TIMEOUT_MS = 300;

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startTestServer({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    SMTP_FROM: FROM,
    SMTP_TIMEOUT_MS: String(TIMEOUT_MS),
  });
});
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});
beforeEach(() => {
  smtp.behaviour = {};
});

/** A clock the tests move past the outbox's retry delays. */
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const later = (ms: number) => (offsetMs += ms);

/** The server's own channels (e-mail over SMTP_HOST), on the test clock; 1 s, 2 s, 4 s… apart. */
function worker(options: OutboxWorkerOptions = {}): OutboxWorker {
  return new OutboxWorker(server.db, server.logger, {
    adapters: configuredAdapters(server.config.notify, server.db, server.logger),
    maxAttempts: 3,
    retryDelayMs: (n) => 1000 * 2 ** (n - 1),
    now: clock,
    ...options,
  });
}

/** The e-mail notice the label purchase wrote: a signature will be needed. */
async function emailNotice(): Promise<{ s: ShipmentFixture; n: Notification }> {
  const s = await createShipment(server);
  const n = await server.db.manager.findOneByOrFail(Notification, {
    shipmentId: s.shipment.id,
    kind: NotificationKind.SIGNATURE_REQUIRED,
  });
  expect(n.channel).toBe(NotificationChannel.EMAIL);
  return { s, n };
}

const reload = (n: Notification) => server.db.manager.findOneByOrFail(Notification, { id: n.id });
const attemptsOf = (n: Notification) =>
  server.db.manager.find(NotificationAttempt, {
    where: { notificationId: n.id },
    order: { attempt: 'ASC' },
  });
const mailsOf = (n: Notification) =>
  smtp.messages.filter((m) => m.messageId === `<notification-${n.id}@countersign.example>`);
const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('e-mail over SMTP', () => {
  it('sends the notice; the server reads back from, to, subject, text and escaped HTML', async () => {
    const { s, n } = await emailNotice();
    expect((await worker().runOnce()).sent).toBeGreaterThanOrEqual(1);
    const [mail] = mailsOf(n);
    expect(mailsOf(n)).toHaveLength(1);
    expect(addresses(mail.from)).toEqual(['notices@countersign.example']);
    expect(addresses(mail.to)).toEqual([s.buyer.email]);
    expect(mail.subject).toBe(n.subject);
    expect(mail.text).toContain(n.body);
    expect(mail.html).toContain(`<p>${escapeHtml(n.body)}</p>`);
    expect(mail.headers.get('x-countersign-notification')).toBe(String(n.id));
    expect(await reload(n)).toMatchObject({ status: NotificationStatus.SENT, attempts: 1 });
    expect(await attemptsOf(n)).toMatchObject([
      { attempt: 1, channel: 'EMAIL', outcome: NotificationAttemptOutcome.SENT, error: null },
    ]);
    // Sent over SMTP, not recorded.
    expect(await server.db.manager.countBy(NotificationDelivery, { notificationId: n.id })).toBe(0);
  });

  it('escapes what carriers and buyers write in the HTML body, and keeps the text as is', async () => {
    const s = await createShipment(server);
    const location = 'Post office <b>Main & 5th</b> "rear"';
    const res = await postCarrierEvent(
      server,
      'USPS',
      carrierEvent(s.trackingNumber, { status: 'AVAILABLE_FOR_PICKUP', location }),
    );
    expect(res.status).toBe(200);
    const n = await server.db.manager.findOneByOrFail(Notification, {
      shipmentId: s.shipment.id,
      kind: NotificationKind.AVAILABLE_FOR_PICKUP,
    });
    await worker().runOnce();
    const [mail] = mailsOf(n);
    expect(mail.text).toContain(location);
    expect(mail.text).toContain('Signature Required: bring photo ID');
    expect(mail.html).toContain('Post office &lt;b&gt;Main &amp; 5th&lt;/b&gt; &quot;rear&quot;');
    expect(mail.html).not.toContain('<b>');
  });

  it.each<[string, SmtpBehaviour]>([
    ['RCPT', { rejectRcpt: { code: 550, message: 'No such mailbox here' } }],
    ['DATA', { rejectData: { code: 554, message: 'Message refused as spam' } }],
  ])(
    'a server that refuses at %s: each attempt recorded with its answer, retried with backoff, then FAILED',
    async (_stage, behaviour) => {
      const { n } = await emailNotice();
      const answer = (behaviour.rejectRcpt ?? behaviour.rejectData)!;
      smtp.behaviour = behaviour;
      const w = worker();
      await w.runOnce();
      expect(await reload(n)).toMatchObject({ status: NotificationStatus.PENDING, attempts: 1 });
      // Not before the backoff: 1 s after the first failure.
      await w.runOnce();
      expect((await reload(n)).attempts).toBe(1);
      later(1100);
      await w.runOnce();
      expect((await reload(n)).attempts).toBe(2);
      later(1100);
      await w.runOnce();
      expect((await reload(n)).attempts).toBe(2);
      later(1000);
      await w.runOnce();
      const failed = await reload(n);
      expect(failed).toMatchObject({ status: NotificationStatus.FAILED, attempts: 3 });
      expect(failed.lastError).toContain(String(answer.code));
      const attempts = await attemptsOf(n);
      expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
        [1, NotificationAttemptOutcome.RETRY],
        [2, NotificationAttemptOutcome.RETRY],
        [3, NotificationAttemptOutcome.FAILED],
      ]);
      for (const a of attempts) {
        expect(a.error).toContain(`${answer.code} ${answer.message}`);
        expect(a.finishedAt.getTime()).toBeGreaterThanOrEqual(a.startedAt.getTime());
      }
      expect(mailsOf(n)).toHaveLength(0);
      // Given up: never claimed again.
      later(60_000);
      await w.runOnce();
      expect((await reload(n)).attempts).toBe(3);
    },
  );

  it('a server that is down: the attempt fails (connection refused) and is retried', async () => {
    const { n } = await emailNotice();
    const down = { ...server.config.notify.smtp!, port: await closedPort() };
    const recording = new RecordingSink(server.db);
    await worker({
      adapters: channelAdapters(recording, { EMAIL: new SmtpSink(down) }),
    }).runOnce();
    const [attempt] = await attemptsOf(n);
    expect(attempt).toMatchObject({ outcome: NotificationAttemptOutcome.RETRY });
    expect(attempt.error).toMatch(/ECONNREFUSED|ECONNECTION/);
    expect(await reload(n)).toMatchObject({ status: NotificationStatus.PENDING, attempts: 1 });
    // Back up: the retry goes through.
    later(1100);
    await worker().runOnce();
    expect(await reload(n)).toMatchObject({ status: NotificationStatus.SENT, attempts: 2 });
    expect(mailsOf(n)).toHaveLength(1);
  });

  it('a stalled server: the send times out, the retry sends it, and the buyer gets one copy', async () => {
    const { n } = await emailNotice();
    smtp.behaviour = { rcptDelayMs: TIMEOUT_MS * 4 };
    const startedAt = Date.now();
    await worker().runOnce();
    expect(Date.now() - startedAt).toBeLessThan(TIMEOUT_MS * 4);
    const [attempt] = await attemptsOf(n);
    expect(attempt).toMatchObject({ outcome: NotificationAttemptOutcome.RETRY });
    expect(attempt.error).toMatch(/timeout|ETIMEDOUT/i);
    // The stalled transaction answers late, to a connection the client has dropped: no DATA.
    await sleep(TIMEOUT_MS * 5);
    expect(mailsOf(n)).toHaveLength(0);

    smtp.behaviour = {};
    later(1100);
    await worker().runOnce();
    expect(await reload(n)).toMatchObject({ status: NotificationStatus.SENT, attempts: 2 });
    await sleep(TIMEOUT_MS);
    expect(mailsOf(n)).toHaveLength(1);
    expect((await attemptsOf(n)).map((a) => a.outcome)).toEqual([
      NotificationAttemptOutcome.RETRY,
      NotificationAttemptOutcome.SENT,
    ]);
  });
});

describe('notices of pickup and return', () => {
  it.each([
    [
      'AVAILABLE_FOR_PICKUP',
      NotificationKind.AVAILABLE_FOR_PICKUP,
      /waiting for you to pick it up/,
    ],
    ['RETURN_TO_SENDER', NotificationKind.RETURNED_TO_SENDER, /returned to the seller/],
  ])(
    'a carrier event %s writes exactly one %s notice, e-mailed over SMTP',
    async (status, kind, subject) => {
      const s = await createShipment(server);
      const event = carrierEvent(s.trackingNumber, { status, location: 'Springfield, IL' });
      expect((await postCarrierEvent(server, 'USPS', event)).status).toBe(200);
      // The carrier delivers the same event again: still one notice.
      expect((await postCarrierEvent(server, 'USPS', event)).status).toBe(200);
      const notices = await server.db.manager.findBy(Notification, {
        shipmentId: s.shipment.id,
        kind,
      });
      expect(notices).toHaveLength(1);
      const [n] = notices;
      expect(n).toMatchObject({ channel: NotificationChannel.EMAIL, buyerId: s.buyer.id });
      expect(n.subject).toMatch(subject);
      expect(n.body).toContain(s.order.number);

      await worker().runOnce();
      const mails = mailsOf(n);
      expect(mails).toHaveLength(1);
      expect(addresses(mails[0].to)).toEqual([s.buyer.email]);
      expect(mails[0].subject).toBe(n.subject);
      expect(await reload(n)).toMatchObject({ status: NotificationStatus.SENT });
    },
  );

  it('a second pickup scan does not tell the buyer again', async () => {
    const s = await createShipment(server);
    for (const minutes of [-20, -10]) {
      const at = new Date(Date.now() + minutes * 60_000).toISOString();
      const event = carrierEvent(s.trackingNumber, {
        status: 'AVAILABLE_FOR_PICKUP',
        occurredAt: at,
      });
      expect((await postCarrierEvent(server, 'USPS', event)).status).toBe(200);
    }
    expect(
      await server.db.manager.countBy(Notification, {
        shipmentId: s.shipment.id,
        kind: NotificationKind.AVAILABLE_FOR_PICKUP,
      }),
    ).toBe(1);
  });
});
