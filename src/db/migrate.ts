import type { DataSource } from 'typeorm';

/**
 * Runs pending migrations, each in its own transaction, and returns their names. On PostgreSQL
 * concurrent callers (several instances starting at once, or `npm run migrate` beside them) queue
 * on an advisory lock for the current schema, so each migration runs exactly once; the ones that
 * waited find nothing pending.
 */
export async function runPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const run = async () =>
    (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
  if (dataSource.options.type !== 'postgres') return run();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  // Session-level lock on a connection of its own; the key is per schema, so test runs in
  // separate schemas do not wait for each other.
  const key = "hashtext('countersign.migrations.' || current_schema())";
  try {
    await runner.query(`SELECT pg_advisory_lock(${key})`);
    try {
      return await run();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(${key})`);
    }
  } finally {
    await runner.release();
  }
}

/** Whether the database lacks migrations this code needs (an instance must not serve then). */
export async function hasPendingMigrations(dataSource: DataSource): Promise<boolean> {
  return dataSource.showMigrations();
}

/**
 * At start: applies pending migrations, or, when migrations are run separately (`npm run migrate`
 * once per release), refuses to serve a database that lacks some.
 */
export async function migrateOrVerify(dataSource: DataSource, migrate: boolean): Promise<void> {
  if (migrate) {
    await runPendingMigrations(dataSource);
  } else if (await hasPendingMigrations(dataSource)) {
    throw new Error(
      'the database lacks migrations this version needs: run `npm run migrate` first',
    );
  }
}
