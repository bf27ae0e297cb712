import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

/** A plain lower-case identifier: schema names are interpolated into DDL, never taken from users. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${schema}`);
  return schema;
}

/** A fresh, unique schema name such as `cs_test_4242_9f3a1c0d`. */
export function uniqueSchemaName(prefix: string): string {
  return assertSchemaName(`${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`);
}

/** Runs statements on a short-lived single connection (outside the application's pool). */
async function withAdminConnection(
  url: string,
  fn: (ds: DataSource) => Promise<void>,
): Promise<void> {
  const ds = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
  await ds.initialize();
  try {
    await fn(ds);
  } finally {
    await ds.destroy();
  }
}

/**
 * Creates a schema. It must exist before the application's data source connects: TypeORM reads
 * `current_schema()` once at connect time and qualifies table names when it does not match.
 */
export async function createPgSchema(url: string, schema: string): Promise<void> {
  assertSchemaName(schema);
  await withAdminConnection(url, (ds) => ds.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
}

export async function dropPgSchema(url: string, schema: string): Promise<void> {
  assertSchemaName(schema);
  await withAdminConnection(url, (ds) => ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}
