import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';

/**
 * An entity instance from a row's values. Columns are read as TypeORM reads them: through the
 * driver's `prepareHydratedValue` (booleans, JSON, column transformers) and `setEntityValue`,
 * so callers get the objects `find` would give. Columns of plain integer and text types with no
 * transformer come back from both drivers unchanged, so those are assigned directly: on a list
 * page that is most of several thousand columns, and the driver's chain of type checks per
 * column was a measurable share of the page.
 */
export function hydrate<T extends ObjectLiteral>(
  connection: DataSource,
  entity: EntityTarget<T>,
  valueOf: (column: ColumnMetadata) => unknown,
): T {
  const { metadata, plain, converted } = hydrationOf(connection, entity);
  const driver = connection.driver;
  const row = metadata.create() as Record<string, unknown>;
  for (const column of plain) row[column.propertyName] = valueOf(column);
  for (const column of converted) {
    column.setEntityValue(row, driver.prepareHydratedValue(valueOf(column), column));
  }
  return row as T;
}

const PLAIN_TYPES = new Set<unknown>(['integer', 'varchar', 'text']);

interface Hydration {
  metadata: EntityMetadata;
  plain: ColumnMetadata[];
  converted: ColumnMetadata[];
}

const hydrations = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, Hydration>>();

function hydrationOf(connection: DataSource, entity: EntityTarget<ObjectLiteral>): Hydration {
  let byEntity = hydrations.get(connection);
  if (!byEntity) hydrations.set(connection, (byEntity = new Map()));
  let found = byEntity.get(entity);
  if (!found) {
    const metadata = connection.getMetadata(entity);
    const isPlain = (c: ColumnMetadata) =>
      PLAIN_TYPES.has(c.type) &&
      !c.transformer &&
      !c.embeddedMetadata &&
      !c.isVirtual &&
      !c.relationMetadata;
    found = {
      metadata,
      plain: metadata.columns.filter(isPlain),
      converted: metadata.columns.filter((c) => !isPlain(c)),
    };
    byEntity.set(entity, found);
  }
  return found;
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
