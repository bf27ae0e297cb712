import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { IdempotencyRecord } from '../../src/entities';
import { isUniqueViolation } from '../../src/db/errors';
import { createTestStores } from '../support/test-stores';
import type { TestStores } from '../support/test-stores';
import { openDataSource } from './helpers';

const record = (key: string) => ({
  sellerId: 1,
  key,
  requestHash: 'a'.repeat(64),
  labelId: null,
  createdAt: new Date(),
});

/** The error a write throws, or fails the test when it does not throw. */
async function errorOf(write: () => Promise<unknown>): Promise<unknown> {
  try {
    await write();
  } catch (error) {
    return error;
  }
  throw new Error('the write succeeded');
}

function behavesAlike(open: () => Promise<{ ds: DataSource; close: () => Promise<void> }>) {
  let ds: DataSource;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ ds, close } = await open());
    await ds.manager.insert(IdempotencyRecord, record('taken'));
  });
  afterAll(() => close());

  it('recognises a duplicate of a unique key', async () => {
    const error = await errorOf(() => ds.manager.insert(IdempotencyRecord, record('taken')));
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('does not mistake a missing required value for a duplicate', async () => {
    const error = await errorOf(() =>
      ds.manager.insert(IdempotencyRecord, { ...record('fresh'), requestHash: null as never }),
    );
    expect(isUniqueViolation(error)).toBe(false);
  });

  it('does not mistake other failures for a duplicate', async () => {
    const error = await errorOf(() => ds.query('SELECT * FROM no_such_table'));
    expect(isUniqueViolation(error)).toBe(false);
    expect(isUniqueViolation(new Error('UNIQUE constraint failed'))).toBe(false);
  });
}

describe('isUniqueViolation on PostgreSQL', () => {
  behavesAlike(async () => {
    const stores: TestStores = await createTestStores();
    const ds = await openDataSource(stores);
    return {
      ds,
      close: async () => {
        await ds.destroy();
        await stores.release();
      },
    };
  });
});

describe('isUniqueViolation on SQLite', () => {
  behavesAlike(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-unique-'));
    const ds = await openDataSource({
      env: { DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}` },
      release: async () => {},
    });
    return {
      ds,
      close: async () => {
        await ds.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});
