/**
 * `npm run seed`: seeds an empty database. `npm run seed -- --reset` drops every table first and
 * rebuilds from the migrations and the fixtures. The npm script sets COUNTERSIGN_DEV=on; without the
 * switch only the reference data (catalog, signature terms) is seeded, no demo data and no dev
 * tokens, and --reset is refused.
 */
import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { createDataSource } from '../db/data-source';
import { seedIfEmpty, seedOptionsFor } from './seed-if-empty';

async function main(): Promise<void> {
  const reset = process.argv.includes('--reset');
  const config = loadConfig();
  if (reset && !config.devMode) {
    throw new Error('Refusing to drop a production database (--reset needs COUNTERSIGN_DEV=on)');
  }
  const dataSource = createDataSource({ url: config.databaseUrl });
  await dataSource.initialize();
  try {
    if (reset) await dataSource.dropDatabase();
    await dataSource.runMigrations({ transaction: 'each' });
    const result = await seedIfEmpty(dataSource.manager, seedOptionsFor(config));
    const already = !config.devMode
      ? 'the reference data is already there'
      : 'database already has data (use --reset)';
    console.log(result.seeded ? 'seeded the database' : already);
    for (const t of result.tokens)
      console.log(`  ${t.role.padEnd(6)} ${t.label.padEnd(36)} ${t.token}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
