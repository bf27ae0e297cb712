/**
 * `npm run seed`: seeds an empty database. `npm run seed -- --reset` drops every table first and
 * rebuilds from the migrations and the deterministic fixtures.
 */
import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { createDataSource } from '../db/data-source';
import { seedIfEmpty } from './seed-if-empty';

async function main(): Promise<void> {
  const reset = process.argv.includes('--reset');
  const config = loadConfig();
  const dataSource = createDataSource({ url: config.databaseUrl });
  await dataSource.initialize();
  try {
    if (reset) await dataSource.dropDatabase();
    await dataSource.runMigrations({ transaction: 'each' });
    const result = await seedIfEmpty(dataSource.manager);
    console.log(result.seeded ? 'seeded the database' : 'database already has data (use --reset)');
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
