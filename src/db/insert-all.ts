import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** Rows per INSERT: well inside SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK_ROWS = 100;

/** Multi-row inserts in order; returns the generated ids in the same order as `rows`. */
export async function insertAll<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: QueryDeepPartialEntity<T>[],
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    const result = await manager.insert(target, rows.slice(i, i + CHUNK_ROWS));
    for (const identifier of result.identifiers) {
      const id: unknown = identifier?.id;
      if (typeof id !== 'number') throw new Error('Insert returned no generated id');
      ids.push(id);
    }
  }
  return ids;
}
