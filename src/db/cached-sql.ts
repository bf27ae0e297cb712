import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

const cache = new WeakMap<DataSource, Map<string, { sql: string; name: string | null }>>();
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
  let cached = texts.get(shape);
  if (cached === undefined) {
    const sql = query.getQuery();
    // Native parameters are made while building: such a query is not cached.
    if (Object.keys(map.nativeParameters).length > 0) return query.getRawMany();
    // Beyond the cap a shape is neither kept nor prepared (its name would not be unique).
    cached = { sql, name: texts.size < MAX_SHAPES ? `cs_page_${texts.size}` : null };
    if (cached.name) texts.set(shape, cached);
  }
  const [text, parameters] = connection.driver.escapeQueryWithParameters(
    cached.sql,
    query.getParameters(),
    {},
  );
  if (connection.driver.options.type !== 'postgres' || manager.queryRunner || !cached.name) {
    return (await manager.query(text, parameters)) as Record<string, unknown>[];
  }
  return preparedQuery(connection, cached.name, text, parameters);
}

/**
 * A PostgreSQL named prepared statement: each pooled connection parses and plans the page's
 * statement once (node-postgres prepares a name on its first use per connection) instead of on
 * every request — the planning of a page with joins and JSON subqueries was backend CPU on
 * every request. Logged as TypeORM logs its queries, so statement counts stay true.
 */
async function preparedQuery(
  connection: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<Record<string, unknown>[]> {
  const runner = connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as {
      query(config: { name: string; text: string; values: unknown[] }): Promise<{
        rows: Record<string, unknown>[];
      }>;
    };
    connection.logger.logQuery(text, values, runner);
    return (await client.query({ name, text, values })).rows;
  } finally {
    await runner.release();
  }
}
