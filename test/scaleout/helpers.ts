import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { runPendingMigrations } from '../../src/db/migrate';
import { testRedisUrl } from '../support/test-stores';
import { waitFor } from '../support/wait';
import type { TestStores } from '../support/test-stores';

const ROOT = path.join(__dirname, '../..');

/** A data source on a test store, migrated unless told otherwise. */
export async function openDataSource(stores: TestStores, migrate = true): Promise<DataSource> {
  const ds = createDataSource({ url: stores.env.DATABASE_URL, schema: stores.schema, poolSize: 4 });
  await ds.initialize();
  if (migrate) await runPendingMigrations(ds);
  return ds;
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

/** `npm start`'s entry point (src/main.ts) in a process of its own, on the test's own stores. */
export function startInstance(stores: TestStores, env: Record<string, string> = {}) {
  // main.ts takes no schema option; PostgreSQL takes the search_path from the URL as well.
  const url = new URL(stores.env.DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${stores.schema}`);
  const child = spawn(
    process.execPath,
    ['-r', path.join(__dirname, 'child/ts-register.js'), path.join(ROOT, 'src/main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        // Not "test": Apollo would then leave the termination signals alone anyway.
        NODE_ENV: 'development',
        COUNTERSIGN_DEV: 'on',
        LOG_LEVEL: 'warn',
        PORT: '0',
        DATABASE_URL: url.toString(),
        REDIS_URL: stores.env.REDIS_URL ?? '',
        REDIS_CHANNEL_PREFIX: stores.redisChannelPrefix ?? '',
        ...env,
      },
    },
  ) as ChildProcessWithoutNullStreams;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url$ = waitFor(
    'the instance to serve',
    () => {
      if (child.exitCode !== null) throw new Error(`the instance exited:\n${output}`);
      return /serving (http:\/\/\S+\/graphql)/.exec(output)?.[1];
    },
    60_000,
  );
  return { child, exit, served: url$, output: () => output };
}
