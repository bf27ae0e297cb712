import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import {
  redact,
  testDatabaseUrl,
  testDatabaseVariable,
  testRedisUrl,
} from '../support/test-stores';

const HOW =
  'e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test TEST_REDIS_URL=redis://127.0.0.1:6379';

async function pingPostgres(url: string): Promise<void> {
  const ds = new DataSource({
    type: 'postgres',
    url,
    extra: { max: 1, connectionTimeoutMillis: 5000 },
  });
  try {
    await ds.initialize();
    await ds.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${redact(url)} (${testDatabaseVariable()}) is unreachable: ${String(error)}`,
    );
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
}

async function pingRedis(url: string): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`Redis at ${redact(url)} (TEST_REDIS_URL) is unreachable: ${String(error)}`);
  } finally {
    client.disconnect();
  }
}

/**
 * Jest global setup of the PostgreSQL/Redis suites: they run only when asked for, by the
 * variables, and then the services must answer. A missing variable or a dead service stops the
 * run with a message; nothing is skipped.
 */
export async function requireServices(redis: 'required' | 'if-set'): Promise<void> {
  const pg = testDatabaseUrl();
  if (!pg) throw new Error(`this suite runs on PostgreSQL: set TEST_DATABASE_URL (${HOW})`);
  const redisUrl = testRedisUrl();
  if (!redisUrl && redis === 'required') {
    throw new Error(`this suite needs Redis: set TEST_REDIS_URL (${HOW})`);
  }
  await Promise.all([pingPostgres(pg), redisUrl ? pingRedis(redisUrl) : Promise.resolve()]);
}
