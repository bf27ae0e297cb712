import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

const cache = new WeakMap<DataSource, Map<string, string>>();
/** Distinct shapes kept per data source; shapes are few (a list's filters and cursors). */
const MAX_SHAPES = 500;

/**
 * `query.getRawMany()`, with the SQL text built once per query shape. TypeORM rebuilds a list
 * page's SQL on every call (escaping every selected column of every alias, then rewriting
 * property names over the whole text), a few percent of the dashboard's CPU for the same
 * text each time. The shape is everything the text is built from — selections, joins, where
 * conditions (as written, with named parameters), order, limit, offset, locking — so two
 * queries share a text only when TypeORM would build the same one; the parameters' values are
 * bound per call as TypeORM binds them.
 */
export async function cachedRawMany<T extends ObjectLiteral>(
  /** The manager the query was made from (its transaction, if any). */
  manager: EntityManager,
  query: SelectQueryBuilder<T>,
): Promise<Record<string, unknown>[]> {
  const map = query.expressionMap;
  const connection = query.connection;
  const shape = JSON.stringify([
    map.mainAlias?.name,
    map.mainAlias?.hasMetadata ? map.mainAlias.metadata.name : map.mainAlias?.tablePath,
    map.selects,
    map.joinAttributes.map((j) => [
      j.direction,
      j.entityOrProperty,
      j.alias.name,
      j.condition,
      j.isSelected,
      j.mapToProperty,
    ]),
    map.wheres,
    map.orderBys,
    map.groupBys,
    map.havings,
    map.limit,
    map.offset,
    map.skip,
    map.take,
    map.selectDistinct,
    map.lockMode,
    map.withDeleted,
  ]);
  let texts = cache.get(connection);
  if (!texts) cache.set(connection, (texts = new Map()));
  let sql = texts.get(shape);
  if (sql === undefined) {
    sql = query.getQuery();
    // Native parameters are made while building: such a query is not cached.
    if (Object.keys(map.nativeParameters).length > 0) return query.getRawMany();
    if (texts.size < MAX_SHAPES) texts.set(shape, sql);
  }
  const [text, parameters] = connection.driver.escapeQueryWithParameters(
    sql,
    query.getParameters(),
    {},
  );
  return (await manager.query(text, parameters)) as Record<string, unknown>[];
}
