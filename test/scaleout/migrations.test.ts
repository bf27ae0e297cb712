import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCountersign } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { createDataSource } from '../../src/db/data-source';
import { runPendingMigrations } from '../../src/db/migrate';
import { MIGRATIONS } from '../../src/db/migrations';
import { startSeeded } from '../../src/cli/seed-if-empty';
import { Seller } from '../../src/entities';
import { SEED_NOW, buildFixtures } from '../../seeds/fixtures';
import { createTestStores } from '../support/test-stores';
import type { TestStores } from '../support/test-stores';
import { openDataSource } from './helpers';

const migrationNames = MIGRATIONS.map((m) => m.name);

describe('migrations on PostgreSQL', () => {
  let stores: TestStores;
  beforeEach(async () => {
    stores = await createTestStores();
  });
  afterEach(() => stores.release());

  it('build exactly the tables, columns and indexes the entities describe', async () => {
    const ds = await openDataSource(stores);
    try {
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('run once when several instances migrate the same database at the same time', async () => {
    const sources = await Promise.all([1, 2, 3].map(() => openDataSource(stores, false)));
    try {
      const applied = await Promise.all(sources.map((ds) => runPendingMigrations(ds)));
      expect(applied.flat().sort()).toEqual([...migrationNames].sort());
      const rows: Array<{ name: string }> = await sources[0].query('SELECT name FROM migrations');
      expect(rows.map((r) => r.name).sort()).toEqual([...migrationNames].sort());
    } finally {
      await Promise.all(sources.map((ds) => ds.destroy()));
    }
  });

  it('let several instances start at once on an empty database: one migrates, one seeds', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      COUNTERSIGN_DEV: 'on',
      PORT: '0',
      OUTBOX_WORKER: 'off',
      DATABASE_URL: stores.env.DATABASE_URL,
    });
    // What `npm start` does on each instance: migrate, seed an empty database, then listen.
    const starts = await Promise.all(
      [1, 2, 3].map(() => startSeeded(config, { schema: stores.schema })),
    );
    const instances = starts.map((s) => s.countersign);
    try {
      expect(starts.filter((s) => s.seeded.seeded)).toHaveLength(1);
      const m = instances[0].db.manager;
      expect(await m.count(Seller)).toBe(buildFixtures(SEED_NOW).sellers.length);
      const rows: Array<{ name: string }> = await m.query('SELECT name FROM migrations');
      expect(rows.map((r) => r.name).sort()).toEqual([...migrationNames].sort());
    } finally {
      await Promise.all(instances.map((c) => c.stop()));
    }
  });

  it('refuse to serve a database that lacks migrations when MIGRATE_ON_START is off', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      COUNTERSIGN_DEV: 'on',
      PORT: '0',
      OUTBOX_WORKER: 'off',
      MIGRATE_ON_START: 'off',
      DATABASE_URL: stores.env.DATABASE_URL,
    });
    await expect(startCountersign(config, { schema: stores.schema })).rejects.toThrow(
      /run `npm run migrate` first/,
    );
  });
});

describe('migrations on SQLite', () => {
  it('build exactly the tables, columns and indexes the entities describe', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-migrations-'));
    const ds = createDataSource({ url: `sqlite:${path.join(dir, 'db.sqlite')}` });
    try {
      await ds.initialize();
      await runPendingMigrations(ds);
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
