import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';

/**
 * An entity instance from a row's values, column by column through the driver's
 * `prepareHydratedValue` (booleans, JSON and column transformers as TypeORM reads them), so
 * callers get the objects `find` would give. `valueOf` reads one column's raw value.
 */
export function hydrate<T extends ObjectLiteral>(
  connection: DataSource,
  entity: EntityTarget<T>,
  valueOf: (column: ColumnMetadata) => unknown,
): T {
  const metadata = connection.getMetadata(entity);
  const driver = connection.driver;
  const row = metadata.create() as T;
  for (const column of metadata.columns) {
    column.setEntityValue(row, driver.prepareHydratedValue(valueOf(column), column));
  }
  return row;
}

/** How one alias's columns are named in a raw row, worked out once per data source and alias. */
interface AliasPlan {
  primaryKey: string;
  keys: Map<ColumnMetadata, string>;
}

const plans = new WeakMap<DataSource, Map<string, AliasPlan>>();

function planOf(connection: DataSource, entity: EntityTarget<ObjectLiteral>, alias: string) {
  const metadata = connection.getMetadata(entity);
  const name = `${metadata.name}|${alias}`;
  let byName = plans.get(connection);
  if (!byName) plans.set(connection, (byName = new Map()));
  let plan = byName.get(name);
  if (!plan) {
    const key = (column: ColumnMetadata) =>
      DriverUtils.buildAlias(connection.driver, undefined, alias, column.databaseName);
    plan = {
      primaryKey: key(metadata.primaryColumns[0]),
      keys: new Map(metadata.columns.map((column) => [column, key(column)])),
    };
    byName.set(name, plan);
  }
  return plan;
}

/**
 * The entity of `alias` in one row of a query builder's `getRawMany()`, or null when the alias
 * matched nothing (a left join without a row). TypeORM's own `getMany` hydration (grouping rows by
 * primary key, walking relations, transforming every column) is a tenth of a list page's CPU;
 * for to-one joins, one row per entity, reading the columns through the driver's
 * `prepareHydratedValue` gives the same instances for a fraction of it. The column aliases are
 * built once per alias, not per row (building them was a tenth of W1's allocation).
 */
export function entityFromRaw<T extends ObjectLiteral>(
  connection: DataSource,
  entity: EntityTarget<T>,
  alias: string,
  raw: Record<string, unknown>,
): T | null {
  const plan = planOf(connection, entity, alias);
  if (raw[plan.primaryKey] == null) return null;
  return hydrate(connection, entity, (column) => raw[plan.keys.get(column) as string]);
}
