import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { hydrate } from '../db/raw-rows';

/**
 * `SELECT <every column> FROM <table> WHERE <column> IN (…) [AND <column> = …] ORDER BY …` for
 * the loaders, without TypeORM's query builder: `manager.find` rebuilds the SQL text through
 * its builder and hydrates through its transformer on every batch (about an eighth of the
 * dashboard's CPU in the profile). Here the SQL around the key list is built once per data
 * source and pattern, and rows become entity instances column by column through the driver's
 * own `prepareHydratedValue` (booleans, dates, JSON and column transformers as TypeORM reads
 * them), so resolvers get the same objects as from `find`.
 */
export type RawFind<T> = (keys: readonly unknown[]) => Promise<T[]>;

type Where<T> = Partial<Record<keyof T & string, unknown>>;
type Order<T> = Partial<Record<keyof T & string, 'ASC' | 'DESC'>>;

interface Prepared {
  run(manager: EntityManager, keys: readonly unknown[]): Promise<unknown[]>;
}

const prepared = new WeakMap<DataSource, Map<string, Prepared>>();

function prepare(
  connection: DataSource,
  entity: EntityTarget<ObjectLiteral>,
  column: string,
  where: Record<string, unknown>,
  order: Record<string, string>,
): Prepared {
  const metadata = connection.getMetadata(entity);
  const driver = connection.driver;
  const columnOf = (property: string) => {
    const found = metadata.findColumnWithPropertyName(property);
    if (!found) throw new Error(`${metadata.name} has no column ${property}`);
    return found;
  };
  const quoted = (property: string) => driver.escape(columnOf(property).databaseName);
  const table = metadata.schema
    ? `${driver.escape(metadata.schema)}.${driver.escape(metadata.tableName)}`
    : driver.escape(metadata.tableName);
  const columns = metadata.columns;
  const select = `SELECT ${columns.map((c) => driver.escape(c.databaseName)).join(', ')} FROM ${table}`;
  // A null in `where` means IS NULL (the open claim); other values are parameters.
  const fixed = Object.entries(where).filter(([, value]) => value !== null);
  const fixedValues = fixed.map(([property, value]) =>
    driver.preparePersistentValue(value, columnOf(property)),
  );
  const fixedConditions = [
    ...Object.entries(where)
      .filter(([, value]) => value === null)
      .map(([property]) => `${quoted(property)} IS NULL`),
    ...fixed.map(([property], i) => `${quoted(property)} = ${driver.createParameter(`w${i}`, i)}`),
  ];
  const orderBy = Object.entries(order)
    .map(([property, direction]) => `${quoted(property)} ${direction}`)
    .join(', ');
  const keyColumn = columnOf(column);
  const keyName = driver.escape(keyColumn.databaseName);
  return {
    run: async (manager, keys) => {
      const parameters = [...fixedValues];
      const list = keys.map((key, i) => {
        parameters.push(driver.preparePersistentValue(key, keyColumn));
        return driver.createParameter(`k${i}`, fixed.length + i);
      });
      // In parameter order: SQLite's `?` placeholders are positional.
      const conditions = [...fixedConditions, `${keyName} IN (${list.join(', ')})`];
      const sql = `${select} WHERE ${conditions.join(' AND ')}${orderBy ? ` ORDER BY ${orderBy}` : ''}`;
      const rows = (await manager.query(sql, parameters)) as Record<string, unknown>[];
      return rows.map((raw) => hydrate(connection, entity, (c) => raw[c.databaseName]));
    },
  };
}

/** The rows of `entity` whose `column` is one of the keys (and whose `where` columns match). */
export function rawFind<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  column: keyof T & string,
  where: Where<T> = {},
  order: Order<T> = {},
): RawFind<T> {
  let query: Prepared | null = null;
  return async (keys) => {
    if (!query) {
      const key = [
        manager.connection.getMetadata(entity).name,
        column,
        JSON.stringify(where),
        JSON.stringify(order),
      ].join('|');
      let byKey = prepared.get(manager.connection);
      if (!byKey) prepared.set(manager.connection, (byKey = new Map()));
      query = byKey.get(key) ?? null;
      if (!query) {
        query = prepare(manager.connection, entity, column, where, order as Record<string, string>);
        byKey.set(key, query);
      }
    }
    return (await query.run(manager, keys)) as T[];
  };
}
