import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from '../entities';
import { MIGRATIONS } from './migrations';
import { assertSchemaName } from './pg-schema';
import type { SqlCounter } from './sql-counter';

export type DatabaseKind = 'sqlite' | 'postgres';

/**
 * TypeORM calls `sqlite3.verbose()`, which wraps every driver call to capture a stack trace and
 * util.inspect its arguments (SQL text, parameter lists) in case of an error: about 5% of the
 * dashboard's CPU. TypeORM gets the driver with `verbose()` answering the plain module; errors
 * still carry the SQL (TypeORM's QueryFailedError).
 */
const sqliteDriver: typeof sqlite3 = Object.assign(Object.create(sqlite3) as typeof sqlite3, {
  verbose: () => sqlite3,
});

export function databaseKind(url: string): DatabaseKind {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

/** `sqlite:/path/file`, `/path/file`, or `:memory:` → the SQLite file name. */
function sqliteFile(url: string): string {
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return file;
}

export interface DataSourceSettings {
  url: string;
  logger?: SqlCounter;
  /** PostgreSQL schema to use (tests give each run its own); create it before connecting. */
  schema?: string;
  /** PostgreSQL connections this process may open (default 10). */
  poolSize?: number;
}

/**
 * A second SQLite connection used only for reads (see Database); null for PostgreSQL, whose
 * pool already isolates reads, and for in-memory SQLite, where a second connection would open
 * a different, empty database.
 */
export function createSqliteReader({ url, logger }: DataSourceSettings): DataSource | null {
  if (databaseKind(url) !== 'sqlite' || sqliteFile(url) === ':memory:') return null;
  return new DataSource({
    type: 'sqlite',
    driver: sqliteDriver,
    database: sqliteFile(url),
    busyTimeout: 5000,
    entities: ENTITIES,
    synchronize: false,
    logging: logger ? ['query'] : false,
    logger,
  });
}

export const DEFAULT_POOL_SIZE = 10;

export function createDataSource({
  url,
  logger,
  schema,
  poolSize,
}: DataSourceSettings): DataSource {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    logging: logger ? ['query' as const] : false,
    logger,
  };
  const options: DataSourceOptions =
    databaseKind(url) === 'postgres'
      ? {
          type: 'postgres',
          url,
          schema,
          extra: {
            max: poolSize ?? DEFAULT_POOL_SIZE,
            // Unqualified names in raw SQL resolve in the schema, as TypeORM's own queries do.
            ...(schema ? { options: `-c search_path=${assertSchemaName(schema)}` } : {}),
          },
          ...common,
        }
      : {
          type: 'sqlite',
          driver: sqliteDriver,
          database: sqliteFile(url),
          enableWAL: true,
          busyTimeout: 5000,
          ...common,
        };
  return new DataSource(options);
}
