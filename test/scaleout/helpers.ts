import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { runPendingMigrations } from '../../src/db/migrate';
import { testRedisUrl } from '../support/test-stores';
import type { TestStores } from '../support/test-stores';

/** A data source on a test store, migrated unless told otherwise. */
export async function openDataSource(stores: TestStores, migrate = true): Promise<DataSource> {
  const ds = createDataSource({ url: stores.env.DATABASE_URL, schema: stores.schema, poolSize: 4 });
  await ds.initialize();
  if (migrate) await runPendingMigrations(ds);
  return ds;
}

/** Polls an observable condition (a subscription registered, a row written); no fixed sleeps. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 15000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A plain Redis client of the test's own, to look at what the servers did. */
export function redisClient(): Redis {
  const url = testRedisUrl();
  if (!url) throw new Error('TEST_REDIS_URL is not set');
  return new Redis(url, { maxRetriesPerRequest: 1 });
}

/** How many connections subscribe to a channel (Redis' own view). */
export async function subscriberCount(redis: Redis, channel: string): Promise<number> {
  const reply = (await redis.pubsub('NUMSUB', channel)) as [string, number];
  return Number(reply[1]);
}

/** Drains an async iterable into an array in the background; `until(n)` waits for n items. */
export function collect<T>(iterable: AsyncIterable<T>) {
  const items: T[] = [];
  const iterator = iterable[Symbol.asyncIterator]();
  void (async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      items.push(next.value);
    }
  })();
  return {
    items,
    until: (count: number): Promise<T[]> =>
      waitFor(`${count} items`, () => (items.length >= count ? items : null)),
    stop: async () => {
      await iterator.return?.();
    },
  };
}
