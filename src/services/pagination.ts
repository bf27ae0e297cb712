import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../config/security';
import { badInput } from '../core/errors';
import { MAX_SERIAL } from '../core/global-id';
import type { Page } from '../core/page';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

/** Validates `first`; the schema caps it too, but services are called from other places. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return size;
}

/** Keyset cursor over (time, id): opaque to clients, stable under inserts. */
export function encodeCursor(at: Date, id: number): string {
  return Buffer.from(`${at.toISOString()}|${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { at: string; id: number } {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,15})$/.exec(decoded);
  // Ids are 32-bit keys: a larger one is not a cursor we made (and PostgreSQL would reject it).
  if (!match || Number(match[2]) > MAX_SERIAL)
    throw badInput('after is not a valid cursor', 'after');
  return { at: match[1], id: Number(match[2]) };
}

/** Relay forward pagination: how many, and after which cursor. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** Keys of T whose values are Dates: the time a keyset page is ordered by. */
type TimeKey<T> = { [K in keyof T]: T[K] extends Date ? K : never }[keyof T] & string;

/**
 * One page of `query`, newest first by (`alias.timeColumn`, `alias.id`), after the cursor in
 * `args`. The total is counted only when the client selects `totalCount` (the connection calls
 * `totalCountOf`), on the query as it stood before the cursor. `fetch` runs the page query (one
 * row more than the page, to tell whether another follows): callers join and prime loaders there.
 */
export async function keysetPage<T extends ObjectLiteral & { id: number }>(
  query: SelectQueryBuilder<T>,
  alias: string,
  timeColumn: TimeKey<T>,
  args: PageArgs,
  fetch: (pageQuery: SelectQueryBuilder<T>) => Promise<T[]> = (pageQuery) => pageQuery.getMany(),
): Promise<Page<T>> {
  const size = pageSize(args.first);
  const time = `${alias}.${timeColumn}`;
  query.orderBy(time, 'DESC').addOrderBy(`${alias}.id`, 'DESC');
  const countQuery = query.clone();
  if (args.after) {
    const { at, id } = decodeCursor(args.after);
    query.andWhere(`(${time} < :cursorAt OR (${time} = :cursorAt AND ${alias}.id < :cursorId))`, {
      cursorAt: at,
      cursorId: id,
    });
  }
  const rows = await fetch(query.limit(size + 1));
  const edges = rows
    .slice(0, size)
    .map((node) => ({ node, cursor: encodeCursor(node[timeColumn] as Date, node.id) }));
  return {
    edges,
    totalCountOf: () => countQuery.getCount(),
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: !!args.after,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
