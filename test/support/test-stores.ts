import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { databaseKind } from '../../src/db/data-source';
import { createPgSchema, dropPgSchema, uniqueSchemaName } from '../../src/db/pg-schema';

/**
 * Which services the tests run against. Unset (plain `npm test`): a SQLite temp file per server and
 * in-process pub/sub. `.ci/run`, `npm run test:pg` and `npm run test:scaleout` set
 * TEST_DATABASE_URL (a `postgres://` URL; `DATABASE_URL=postgres://…` works too) and TEST_REDIS_URL;
 * when set and the service is down, every test fails: nothing falls back or skips.
 */
export function testDatabaseUrl(): string | null {
  const explicit = process.env.TEST_DATABASE_URL;
  if (explicit) {
    if (databaseKind(explicit) !== 'postgres') {
      throw new Error('TEST_DATABASE_URL must be a postgres:// URL');
    }
    return explicit;
  }
  const app = process.env.DATABASE_URL;
  return app && databaseKind(app) === 'postgres' ? app : null;
}

/** Which variable chose the test database, for messages. */
export const testDatabaseVariable = (): string =>
  process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'DATABASE_URL';

export function testRedisUrl(): string | null {
  return process.env.TEST_REDIS_URL || null;
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** A database (and maybe a Redis channel namespace) of one's own; instances may share it. */
export interface TestStores {
  /** Environment for loadConfig: DATABASE_URL, and REDIS_URL when Redis is in use. */
  env: { DATABASE_URL: string; REDIS_URL?: string };
  /** The PostgreSQL schema, created empty (undefined on SQLite). */
  schema?: string;
  /** Prefix of every Redis channel (undefined without Redis). */
  redisChannelPrefix?: string;
  /** Drops the schema or deletes the SQLite file. */
  release(): Promise<void>;
}

/**
 * A fresh store: on PostgreSQL a new schema `cs_test_<pid>_<random>` (so every test file, rerun
 * and parallel run is isolated; `release` drops it), else a SQLite file in a temp directory.
 */
export async function createTestStores(): Promise<TestStores> {
  const pgUrl = testDatabaseUrl();
  const redisUrl = testRedisUrl();
  const redis = (namespace: string) =>
    redisUrl ? { env: { REDIS_URL: redisUrl }, redisChannelPrefix: `${namespace}:` } : { env: {} };
  if (pgUrl) {
    const schema = uniqueSchemaName('cs_test');
    try {
      await createPgSchema(pgUrl, schema);
    } catch (error) {
      throw new Error(
        `PostgreSQL at ${redact(pgUrl)} (${testDatabaseVariable()}) is unreachable: ${String(error)}`,
      );
    }
    const r = redis(schema);
    return {
      env: { DATABASE_URL: pgUrl, ...r.env },
      schema,
      redisChannelPrefix: r.redisChannelPrefix,
      release: () => dropPgSchema(pgUrl, schema),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-test-'));
  const r = redis(`cs_test_${process.pid}_${randomBytes(4).toString('hex')}`);
  return {
    env: { DATABASE_URL: `sqlite:${path.join(dir, 'test.sqlite')}`, ...r.env },
    redisChannelPrefix: r.redisChannelPrefix,
    release: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
