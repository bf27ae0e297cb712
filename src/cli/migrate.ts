/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL and exits. With several instances,
 * run it once per release (before starting them with MIGRATE_ON_START=off); concurrent runs are
 * safe too, they queue on a PostgreSQL advisory lock.
 */
import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { Logger } from '../config/logger';
import { createDataSource, databaseKind } from '../db/data-source';
import { runPendingMigrations } from '../db/migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger(config.logLevel === 'silent' ? 'silent' : 'info', {
    service: 'countersign-migrate',
  });
  const dataSource = createDataSource({ url: config.databaseUrl, poolSize: 2 });
  await dataSource.initialize();
  try {
    const applied = await runPendingMigrations(dataSource);
    logger.info(applied.length ? 'migrations applied' : 'database is up to date', {
      database: databaseKind(config.databaseUrl),
      applied,
    });
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `migrate failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
