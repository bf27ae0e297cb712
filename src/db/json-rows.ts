import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { hydrate } from './raw-rows';

/**
 * Rows of a related table as JSON inside one statement: a list page selects each row's children
 * as a correlated subquery (`jsonRowsSql`) instead of one statement per relation, and reads them
 * back as the same entity instances the loaders build (`entitiesFromJson`). Both dialects build
 * the JSON in the database: SQLite's json_object/json_group_array, PostgreSQL's
 * json_build_object/json_agg. Every column type the entities use (integer, varchar, text,
 * boolean, simple-json) has one exact JSON form, so hydration through the driver's
 * `prepareHydratedValue` gives the values `find` would.
 */

export interface JsonRowsQuery {
  /** Entity of the related rows. */
  entity: EntityTarget<ObjectLiteral>;
  /** Column (property name) of the related table that points at the outer row. */
  column: string;
  /** The outer row's key, as SQL (e.g. `"o"."id"`). */
  outer: string;
  /** Extra SQL conditions on the related rows (alias `x`), parameters by name. */
  where?: string;
  /** Order of the rows, SQL on alias `x`; `x.id` ascending unless given. */
  orderBy?: string;
  /** Only the first row (after `orderBy`) as one object, not an array. */
  one?: boolean;
}

/** A scalar subquery giving the related rows as a JSON array (or one object / NULL with `one`). */
export function jsonRowsSql(connection: DataSource, query: JsonRowsQuery): string {
  const metadata = connection.getMetadata(query.entity);
  const driver = connection.driver;
  const postgres = driver.options.type === 'postgres';
  const table = metadata.schema
    ? `${driver.escape(metadata.schema)}.${driver.escape(metadata.tableName)}`
    : driver.escape(metadata.tableName);
  const key = metadata.findColumnWithPropertyName(query.column);
  if (!key) throw new Error(`${metadata.name} has no column ${query.column}`);
  const fields = metadata.columns
    .map((c) => `'${c.databaseName}', x.${driver.escape(c.databaseName)}`)
    .join(', ');
  const object = postgres ? `json_build_object(${fields})` : `json_object(${fields})`;
  const where = `x.${driver.escape(key.databaseName)} = ${query.outer}${query.where ? ` AND ${query.where}` : ''}`;
  const orderBy = query.orderBy ?? 'x.id ASC';
  if (query.one) {
    return `(SELECT ${object} FROM ${table} x WHERE ${where} ORDER BY ${orderBy} LIMIT 1)`;
  }
  const array = postgres
    ? `COALESCE(json_agg(${object} ORDER BY ${orderBy}), '[]'::json)`
    : `json_group_array(${object} ORDER BY ${orderBy})`;
  return `(SELECT ${array} FROM ${table} x WHERE ${where})`;
}

/** The JSON a `jsonRowsSql` column holds: SQLite returns text, node-postgres parses json itself. */
function parsed(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** One row's JSON object as an entity instance, columns read as `find` reads them. */
const entityFromJson = <T extends ObjectLiteral>(
  connection: DataSource,
  entity: EntityTarget<T>,
  json: Record<string, unknown>,
): T => hydrate(connection, entity, (column) => json[column.databaseName]);

/** The entities of a `jsonRowsSql` array column. */
export function entitiesFromJson<T extends ObjectLiteral>(
  connection: DataSource,
  entity: EntityTarget<T>,
  value: unknown,
): T[] {
  const rows = (parsed(value) ?? []) as Record<string, unknown>[];
  return rows.map((json) => entityFromJson(connection, entity, json));
}

/** The entity of a `jsonRowsSql` column made with `one`, or null when there was no row. */
export function entityFromJsonColumn<T extends ObjectLiteral>(
  connection: DataSource,
  entity: EntityTarget<T>,
  value: unknown,
): T | null {
  const json = parsed(value) as Record<string, unknown> | null;
  return json ? entityFromJson(connection, entity, json) : null;
}
