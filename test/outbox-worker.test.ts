import { Notification, NotificationDelivery } from '../src/entities';
import { NotificationChannel, NotificationKind, NotificationStatus } from '../src/entities/enums';
import { channelAdapters } from '../src/notifications/channel-adapter';
import type { DeliverySink, OutgoingMessage } from '../src/notifications/channel-adapter';
import { RecordingSink } from '../src/notifications/recording-sink';
import { OutboxWorker } from '../src/workers/outbox-worker';
import { NotificationsDocument } from './generated/operations';
import type { NotificationsQuery } from './generated/operations';
import type { OutboxWorkerOptions } from '../src/workers/outbox-worker';
import { carrierEvent, minutesFromNow, postCarrierEvent, pngSignature } from './support/carrier';
import { createShipment } from './support/shipments';
import type { ShipmentFixture } from './support/shipments';
import { startTestServer } from './support/test-server';
import { waitFor } from './support/wait';
import type { TestServer } from './support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const LEASE_MS = 30_000;

function worker(options: OutboxWorkerOptions = {}): OutboxWorker {
  return new OutboxWorker(server.db, server.logger, { leaseMs: LEASE_MS, ...options });
}

/** A sink that hands messages to `behaviour` (which may record, throw or never return). */
function sinkDoing(
  behaviour: (m: OutgoingMessage) => Promise<'SENT' | 'ALREADY_SENT'>,
): DeliverySink {
  return { deliver: behaviour };
}

/** The carrier fails an attempt for want of a signature: the buyer's notification is written with it. */
async function failedAttempt(): Promise<{ s: ShipmentFixture; notification: Notification }> {
  const s = await createShipment(server);
  const res = await postCarrierEvent(
    server,
    'USPS',
    carrierEvent(s.trackingNumber, {
      status: 'DELIVERY_ATTEMPTED',
      reason: 'SIGNATURE_UNAVAILABLE',
    }),
  );
  expect(res.status).toBe(200);
  const notification = await server.db.manager.findOneByOrFail(Notification, {
    shipmentId: s.shipment.id,
    kind: NotificationKind.DELIVERY_ATTEMPT_SIGNATURE_UNAVAILABLE,
  });
  return { s, notification };
}

/** The parcel is delivered and the ship-to name signs: the buyer's second notification. */
async function deliveredSigned(s: ShipmentFixture): Promise<void> {
  const res = await postCarrierEvent(
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
  expect(res.status).toBe(200);
}

const deliveriesOf = (n: Notification) =>
  server.db.manager.count(NotificationDelivery, { where: { notificationId: n.id } });
const reload = (n: Notification) => server.db.manager.findOneByOrFail(Notification, { id: n.id });

describe('outbox worker', () => {
  it('delivers a notification written with its cause, once, and marks it sent', async () => {
    const { notification } = await failedAttempt();
    expect(notification.status).toBe(NotificationStatus.PENDING);
    const w = worker();
    const first = await w.runOnce();
    expect(first.sent).toBeGreaterThanOrEqual(1);
    expect(await deliveriesOf(notification)).toBe(1);
    expect(await reload(notification)).toMatchObject({
      status: NotificationStatus.SENT,
      attempts: 1,
      claimedBy: null,
    });
    expect((await w.runOnce()).claimed).toBe(0);
  });

  it('writes the attempt-failed and delivered-signed notifications with their causes', async () => {
    const { s } = await failedAttempt();
    await deliveredSigned(s);
    const kinds = await server.db.manager.find(Notification, {
      where: { shipmentId: s.shipment.id },
      order: { id: 'ASC' },
    });
    // After the one the label purchase wrote (a signature will be needed).
    expect(kinds.map((n) => n.kind)).toEqual([
      NotificationKind.SIGNATURE_REQUIRED,
      NotificationKind.DELIVERY_ATTEMPT_SIGNATURE_UNAVAILABLE,
      NotificationKind.DELIVERED_SIGNED,
    ]);
    const [, attempt, signed] = kinds;
    expect(signed.body).toContain(s.shipTo.name);
    // Texted when the buyer gave a phone number, e-mailed otherwise.
    expect(attempt.channel).toBe(
      s.buyer.phone ? NotificationChannel.SMS : NotificationChannel.EMAIL,
    );
    await worker().runOnce();
  });

  it('stopped mid-batch, finishes the batch in hand; a restarted worker sends nothing twice', async () => {
    const { notification } = await failedAttempt();
    const recording = new RecordingSink(server.db);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inSink!: () => void;
    const sending = new Promise<void>((resolve) => (inSink = resolve));
    const w = worker({
      pollMs: 60_000,
      // The channel has the message, the row is not yet marked sent: the worker is mid-batch.
      adapters: channelAdapters(
        sinkDoing(async (m) => {
          const result = await recording.deliver(m);
          inSink();
          await gate;
          return result;
        }),
      ),
    });
    w.start();
    await sending;

    let stopped = false;
    const stopping = w.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await reload(notification)).toMatchObject({
      status: NotificationStatus.SENT,
      attempts: 1,
      claimedBy: null,
    });

    // Restarted, even once the stopped worker's lease would have run out: nothing to resend.
    await worker({ now: () => new Date(Date.now() + LEASE_MS + 1000) }).runOnce();
    expect(await deliveriesOf(notification)).toBe(1);
    expect((await reload(notification)).attempts).toBe(1);
  });

  it('a crash after sending but before marking sent never reaches the buyer twice', async () => {
    const { notification } = await failedAttempt();
    const recording = new RecordingSink(server.db);
    // The process "dies" right after the channel took this message: nothing marks the row sent.
    const dying = worker({
      adapters: channelAdapters(
        sinkDoing(async (m) => {
          const result = await recording.deliver(m);
          if (m.notificationId !== notification.id) return result;
          return new Promise<never>(() => {});
        }),
      ),
    });
    void dying.runOnce();
    await waitForDelivery(notification);
    expect((await reload(notification)).status).toBe(NotificationStatus.PENDING);

    // A restarted worker takes the row over once the dead worker's lease has expired.
    const afterLease = () => new Date(Date.now() + LEASE_MS + 1000);
    const restarted = worker({ now: afterLease });
    const run = await restarted.runOnce();
    expect(run.alreadySent).toBeGreaterThanOrEqual(1);
    expect(await deliveriesOf(notification)).toBe(1);
    expect((await reload(notification)).status).toBe(NotificationStatus.SENT);
  });

  it('a worker killed between claim and send holds the row only until its lease expires', async () => {
    const { notification } = await failedAttempt();
    const killed = worker({
      adapters: channelAdapters(sinkDoing(() => new Promise<never>(() => {}))),
    });
    void killed.runOnce();
    await waitFor('the claim', async () => (await reload(notification)).claimedBy !== null);

    expect((await worker().runOnce()).claimed).toBe(0);
    await worker({ now: () => new Date(Date.now() + LEASE_MS + 1000) }).runOnce();
    expect(await deliveriesOf(notification)).toBe(1);
    expect((await reload(notification)).status).toBe(NotificationStatus.SENT);
  });

  it('a send that outlives the lease: the rest of the batch, taken over meanwhile, is not sent again', async () => {
    const w0 = worker();
    while ((await w0.runOnce()).claimed > 0); // whatever earlier tests left
    const { s } = await failedAttempt();
    const rows = await server.db.manager.find(Notification, {
      where: { shipmentId: s.shipment.id, status: NotificationStatus.PENDING },
      order: { id: 'ASC' },
    });
    expect(rows).toHaveLength(2);
    const recording = new RecordingSink(server.db);
    const slowSends: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inSink!: () => void;
    const sending = new Promise<void>((resolve) => (inSink = resolve));
    const slow = worker({
      batchSize: 2,
      adapters: channelAdapters(
        sinkDoing(async (m) => {
          slowSends.push(m.notificationId);
          inSink();
          await gate;
          return recording.deliver(m);
        }),
      ),
    });
    const running = slow.runOnce();
    await sending;
    // The first send stalls past the lease: another worker takes both rows over and sends them.
    const other = await worker({ now: () => new Date(Date.now() + LEASE_MS + 1000) }).runOnce();
    expect(other.sent).toBe(2);
    release();
    const run = await running;
    // The stalled send lands on the channel's dedupe; the second row is left to its new owner.
    expect(slowSends).toEqual([rows[0].id]);
    expect(run).toMatchObject({ claimed: 2, sent: 0, alreadySent: 1, failed: 0 });
    for (const n of rows) expect(await deliveriesOf(n)).toBe(1);
  });

  it('polls an idle outbox with one read and no write transaction', async () => {
    const w = worker();
    while ((await w.runOnce()).claimed > 0); // whatever earlier tests left
    const from = server.sql.recorded.length;
    server.sql.record = true;
    try {
      const { result, statements } = await server.sql.measure(() => w.runOnce());
      expect(result.claimed).toBe(0);
      expect(statements).toBe(1);
    } finally {
      server.sql.record = false;
    }
    // On SQLite a transaction would also hold the write lock every mutation waits for.
    expect(server.sql.recorded.slice(from)).toEqual([expect.stringMatching(/^SELECT /)]);
  });

  it('retries a failing channel after a delay, records the error, and gives up after N attempts', async () => {
    const { notification } = await failedAttempt();
    let clock = Date.now();
    const failing = worker({
      maxAttempts: 3,
      retryDelayMs: () => 60_000,
      now: () => new Date(clock),
      adapters: channelAdapters(
        sinkDoing(async () => {
          throw new Error('SMTP relay refused the message');
        }),
      ),
    });
    await failing.runOnce();
    expect(await reload(notification)).toMatchObject({
      status: NotificationStatus.PENDING,
      attempts: 1,
      lastError: 'SMTP relay refused the message',
    });
    // Not before the retry delay.
    expect((await failing.runOnce()).claimed).toBe(0);
    clock += 61_000;
    await failing.runOnce();
    clock += 61_000;
    await failing.runOnce();
    expect(await reload(notification)).toMatchObject({
      status: NotificationStatus.FAILED,
      attempts: 3,
    });
    clock += 61_000;
    expect((await failing.runOnce()).claimed).toBe(0);
    expect(await deliveriesOf(notification)).toBe(0);
  });
});

describe('notifications query', () => {
  it("lists the buyer's own notifications, newest first, with delivery state", async () => {
    const { s } = await failedAttempt();
    await deliveredSigned(s);
    await worker().runOnce();
    const res = await server.gql(NotificationsDocument, { first: 100 }, s.buyerToken);
    expect(res.errors).toBeUndefined();
    const nodes = res.data?.notifications.edges.map((e) => e.node) ?? [];
    const mine = await server.db.manager.count(Notification, { where: { buyerId: s.buyer.id } });
    expect(res.data?.notifications.totalCount).toBe(mine);
    expect(nodes[0]).toMatchObject({
      kind: 'DELIVERED_SIGNED',
      status: 'SENT',
      order: { number: s.order.number },
    });
    expect(nodes[0].sentAt).toEqual(expect.any(String));
    expect(nodes[1]).toMatchObject({ kind: 'DELIVERY_ATTEMPT_SIGNATURE_UNAVAILABLE' });
    const times = nodes.map((n) => n.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('pages with first/after without gaps or repeats', async () => {
    const { s } = await failedAttempt();
    await deliveredSigned(s);
    const all = await server.gql(NotificationsDocument, { first: 100 }, s.buyerToken);
    const expected = all.data?.notifications.edges.map((e) => e.node.id) ?? [];
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const seen: string[] = [];
    let after: string | null | undefined = null;
    for (;;) {
      const page: { data?: NotificationsQuery | null } = await server.gql(
        NotificationsDocument,
        { first: 1, after },
        s.buyerToken,
      );
      seen.push(...(page.data?.notifications.edges ?? []).map((e) => e.node.id));
      if (!page.data?.notifications.pageInfo.hasNextPage) break;
      after = page.data.notifications.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    await worker().runOnce();
  });

  it("is for buyers: a seller gets FORBIDDEN, and no buyer sees another buyer's", async () => {
    const { s } = await failedAttempt();
    const seller = await server.gql(NotificationsDocument, {}, s.sellerToken);
    expect(seller.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = server.tokens.buyer.find((t) => t !== s.buyerToken) as string;
    const theirs = await server.gql(NotificationsDocument, { first: 100 }, other);
    const ids = new Set(theirs.data?.notifications.edges.map((e) => e.node.order.id));
    expect(ids.has(s.orderGid)).toBe(false);
    await worker().runOnce();
  });
});

const waitForDelivery = (n: Notification) =>
  waitFor('one delivery', async () => (await deliveriesOf(n)) === 1);
