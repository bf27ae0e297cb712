import { spawn } from 'node:child_process';
import path from 'node:path';
import { In } from 'typeorm';
import type { DataSource } from 'typeorm';
import { Logger } from '../../src/config/logger';
import { Database } from '../../src/db/database';
import { Buyer, Notification, NotificationDelivery, Order } from '../../src/entities';
import {
  NotificationChannel,
  NotificationKind,
  NotificationStatus,
} from '../../src/entities/enums';
import { channelAdapters } from '../../src/notifications/channel-adapter';
import { RecordingSink } from '../../src/notifications/recording-sink';
import { OutboxWorker } from '../../src/workers/outbox-worker';
import type { OutboxRun } from '../../src/workers/outbox-worker';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { openDataSource } from './helpers';
import { waitFor } from '../support/wait';

let server: TestServer;
/** Further "instances": each with a connection pool of its own to the same schema. */
const instances: DataSource[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(instances.map((ds) => ds.destroy()));
  await server?.stop();
});

async function instanceDb(): Promise<Database> {
  const ds = await openDataSource(server.stores, false);
  instances.push(ds);
  return new Database(ds);
}

let batchNo = 0;
/** Pending e-mail notifications for a seeded buyer, as causes would have written them. */
async function pendingNotifications(count: number): Promise<number[]> {
  batchNo += 1;
  const m = server.db.manager;
  const buyer = await m.findOneOrFail(Buyer, { where: {}, order: { id: 'ASC' } });
  const order = await m.findOneByOrFail(Order, { buyerId: buyer.id });
  const result = await m.insert(
    Notification,
    Array.from({ length: count }, (_, i) => ({
      buyerId: buyer.id,
      orderId: order.id,
      shipmentId: null,
      kind: NotificationKind.SIGNATURE_REQUIRED,
      channel: NotificationChannel.EMAIL,
      dedupeKey: `scaleout:${batchNo}:${i}`,
      subject: 'Your order needs a signature',
      body: 'Someone must sign for it.',
      status: NotificationStatus.PENDING,
      attempts: 0,
      claimedBy: null,
      claimedUntil: null,
      sentAt: null,
      lastError: null,
      createdAt: new Date(),
    })),
  );
  return result.identifiers.map((row) => Number(row.id));
}

const statusesOf = async (ids: number[]) =>
  (
    await server.db.manager.find(Notification, { where: { id: In(ids) }, order: { id: 'ASC' } })
  ).map((n) => n.status);
const deliveriesOf = async (ids: number[]) =>
  (await server.db.manager.find(NotificationDelivery, { where: { notificationId: In(ids) } })).map(
    (d) => d.notificationId,
  );

const silent = new Logger('silent');

describe('outbox workers on several instances', () => {
  it('have each notification claimed and sent by exactly one worker', async () => {
    const ids = await pendingNotifications(60);
    const sentBy = new Map<number, string[]>();
    const workers = await Promise.all(
      ['w1', 'w2', 'w3', 'w4'].map(async (workerId) => {
        const db = await instanceDb();
        const recording = new RecordingSink(db);
        return new OutboxWorker(db, silent, {
          workerId,
          batchSize: 4,
          adapters: channelAdapters({
            deliver: async (message) => {
              sentBy.set(message.notificationId, [
                ...(sentBy.get(message.notificationId) ?? []),
                workerId,
              ]);
              // Yield, so the other workers claim while this one is mid-batch.
              await new Promise((resolve) => setImmediate(resolve));
              return recording.deliver(message);
            },
          }),
        });
      }),
    );
    const drain = async (w: OutboxWorker) => {
      const runs: OutboxRun[] = [];
      for (let run = await w.runOnce(); run.claimed > 0; run = await w.runOnce()) runs.push(run);
      return runs;
    };
    const runs = (await Promise.all(workers.map(drain))).flat();

    expect([...sentBy.keys()].sort((x, y) => x - y)).toEqual(ids);
    expect([...sentBy.values()].filter((by) => by.length > 1)).toEqual([]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(60);
    expect(runs.reduce((n, r) => n + r.alreadySent + r.failed, 0)).toBe(0);
    expect((await deliveriesOf(ids)).length).toBe(60);
    expect(new Set(await statusesOf(ids))).toEqual(new Set([NotificationStatus.SENT]));
  });

  it('lose nothing when an instance is killed mid-batch: another takes over once the lease expires', async () => {
    const ids = await pendingNotifications(8);
    const leaseMs = 60_000;
    const child = spawn(
      process.execPath,
      [
        '-r',
        path.join(__dirname, 'child/ts-register.js'),
        path.join(__dirname, 'child/outbox-worker-child.ts'),
      ],
      {
        env: {
          ...process.env,
          DATABASE_URL: server.stores.env.DATABASE_URL,
          CS_SCHEMA: server.stores.schema,
          BATCH_SIZE: '8',
          LEASE_MS: String(leaseMs),
          STALL_AFTER: '3',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    const stalled = await waitFor(
      'the child worker to stall mid-batch',
      () => {
        if (child.exitCode !== null) throw new Error(`the child worker exited: ${output}`);
        return /stalled (\d+)/.exec(output)?.[1];
      },
      30_000,
    );

    // Mid-batch: three sent and marked, one handed to the channel but not marked, four untouched.
    const before = await server.db.manager.find(Notification, {
      where: { id: In(ids) },
      order: { id: 'ASC' },
    });
    expect(before.map((n) => n.status)).toEqual([
      ...Array(3).fill('SENT'),
      ...Array(5).fill('PENDING'),
    ]);
    expect(before.slice(3).every((n) => n.claimedBy?.startsWith('doomed-instance'))).toBe(true);
    expect(before[3].id).toBe(Number(stalled));

    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const survivorDb = await instanceDb();
    // While the dead instance's lease holds, nobody else takes its rows.
    const survivor = new OutboxWorker(survivorDb, silent, { workerId: 'survivor' });
    expect((await survivor.runOnce()).claimed).toBe(0);
    // Once it has expired (the clock moved past it), the survivor finishes the batch.
    const later = new OutboxWorker(survivorDb, silent, {
      workerId: 'survivor-later',
      now: () => new Date(Date.now() + leaseMs + 1000),
    });
    const run = await later.runOnce();
    expect(run).toEqual({ claimed: 5, sent: 4, alreadySent: 1, failed: 0 });

    expect(await statusesOf(ids)).toEqual(Array(8).fill('SENT'));
    // Exactly one delivery each: the stalled one was not sent twice.
    expect((await deliveriesOf(ids)).sort((x, y) => x - y)).toEqual(ids);
  });
});
