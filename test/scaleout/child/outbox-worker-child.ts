/**
 * An instance's outbox worker in a process of its own, for the test to SIGKILL mid-batch. It
 * claims one batch and delivers through the recording sink; after STALL_AFTER deliveries it hangs
 * (having handed the next message to the channel, not yet marked sent) and says so on stdout.
 */
import { Logger } from '../../../src/config/logger';
import { createDataSource } from '../../../src/db/data-source';
import { Database } from '../../../src/db/database';
import { channelAdapters } from '../../../src/notifications/channel-adapter';
import { RecordingSink } from '../../../src/notifications/recording-sink';
import { OutboxWorker } from '../../../src/workers/outbox-worker';

async function main(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const dataSource = createDataSource({
    url: env('DATABASE_URL'),
    schema: env('CS_SCHEMA'),
    poolSize: 2,
  });
  await dataSource.initialize();
  const db = new Database(dataSource);
  const recording = new RecordingSink(db);
  const stallAfter = Number(env('STALL_AFTER'));
  let delivered = 0;
  const worker = new OutboxWorker(db, new Logger('silent'), {
    workerId: 'doomed-instance',
    batchSize: Number(env('BATCH_SIZE')),
    leaseMs: Number(env('LEASE_MS')),
    adapters: channelAdapters({
      deliver: async (message) => {
        const result = await recording.deliver(message);
        delivered += 1;
        if (delivered > stallAfter) {
          process.stdout.write(`stalled ${message.notificationId}\n`);
          return new Promise<never>(() => {});
        }
        return result;
      },
    }),
  });
  await worker.runOnce();
  process.stdout.write('batch done\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
