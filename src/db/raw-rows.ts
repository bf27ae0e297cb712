import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';

/**
 * The entity of `alias` in one row of a query builder's `getRawMany()`, or null when the alias
 * matched nothing (a left join without a row). TypeORM's own `getMany` hydration (grouping rows by
 * primary key, walking relations, transforming every column) is a tenth of a list page's CPU;
 * for to-one joins, one row per entity, reading the columns through the driver's
 * `prepareHydratedValue` gives the same instances for a fraction of it.
 */
export function entityFromRaw<T extends ObjectLiteral>(
  connection: DataSource,
  entity: EntityTarget<T>,
  alias: string,
  raw: Record<string, unknown>,
): T | null {
  const metadata = connection.getMetadata(entity);
  const driver = connection.driver;
  const primary = metadata.primaryColumns[0];
  if (raw[DriverUtils.buildAlias(driver, undefined, alias, primary.databaseName)] == null) {
    return null;
  }
  const row = metadata.create() as T;
  for (const column of metadata.columns) {
    const value = raw[DriverUtils.buildAlias(driver, undefined, alias, column.databaseName)];
    column.setEntityValue(row, driver.prepareHydratedValue(value, column));
  }
  return row;
}
