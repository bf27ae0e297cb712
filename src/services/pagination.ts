import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../config/security';
import { badInput } from '../core/errors';
import { MAX_SERIAL } from '../core/global-id';
import type { Page, PageArgs, SortDirection } from '../core/page';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };
export type { PageArgs, SortDirection };

/** Validates a page size (`first` or `last`); the schema caps it too, but services are called from other places. */
export function pageSize(
  size: number | null | undefined,
  argument: 'first' | 'last' = 'first',
): number {
  const value = size ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw badInput(`${argument} must be between 1 and ${MAX_PAGE_SIZE}`, argument);
  }
  return value;
}

/** Keyset cursor over (time, id): opaque to clients, stable under inserts. */
export function encodeCursor(at: Date, id: number): string {
  return Buffer.from(`${at.toISOString()}|${id}`, 'utf8').toString('base64url');
}

/** Reads a cursor this server made; anything else is BAD_USER_INPUT naming the argument. */
export function decodeCursor(
  cursor: string,
  argument: 'after' | 'before' = 'after',
): { at: string; id: number } {
  const invalid = () => badInput(`${argument} is not a valid cursor`, argument);
  if (cursor.length > 64) throw invalid();
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,15})$/.exec(decoded);
  // Ids are 32-bit keys: a larger one is not a cursor we made (and PostgreSQL would reject it);
  // a date that does not exist (month 13) would compare as text and page nonsense.
  if (!match || Number(match[2]) > MAX_SERIAL || Number.isNaN(Date.parse(match[1]))) {
    throw invalid();
  }
  return { at: match[1], id: Number(match[2]) };
}

/** Keys of T whose values are Dates: the time a keyset page is ordered by. */
type TimeKey<T> = { [K in keyof T]: T[K] extends Date ? K : never }[keyof T] & string;

/**
 * One page of `query` ordered by (`alias.timeColumn`, `alias.id`), newest first unless
 * `args.direction` is ASC, Relay style: `first` after `after`, or `last` before `before`
 * (fetched in the reverse order and turned round). The page query fetches one row more than the
 * page to tell whether more lie in the direction of travel; whether any lie behind the cursor
 * the client came from is one more indexed statement, sent only when such a cursor is given.
 * The total is counted only when the client selects `totalCount` (the connection calls
 * `totalCountOf`), on the query as it stood before the cursors. `fetch` runs the page query:
 * callers join and prime loaders there.
 */
export async function keysetPage<T extends ObjectLiteral & { id: number }>(
  query: SelectQueryBuilder<T>,
  alias: string,
  timeColumn: TimeKey<T>,
  args: PageArgs,
  fetch: (pageQuery: SelectQueryBuilder<T>) => Promise<T[]> = (pageQuery) => pageQuery.getMany(),
): Promise<Page<T>> {
  if (args.first != null && args.last != null) {
    throw badInput('Pass first or last, not both', 'last');
  }
  const backward = args.last != null;
  const size = backward ? pageSize(args.last, 'last') : pageSize(args.first, 'first');
  const after = args.after ? decodeCursor(args.after, 'after') : null;
  const before = args.before ? decodeCursor(args.before, 'before') : null;
  const direction: SortDirection = args.direction === 'ASC' ? 'ASC' : 'DESC';
  const time = `${alias}.${timeColumn}`;
  const countQuery = query.clone();

  /**
   * Keeps the rows past a cursor in the list's order (`later`), or those before it; `orAt`
   * keeps the cursor's own row too.
   */
  let n = 0;
  const around = (
    q: SelectQueryBuilder<T>,
    cursor: { at: string; id: number },
    later: boolean,
    orAt = false,
  ) => {
    const op = (direction === 'DESC') === later ? '<' : '>';
    const at = `cursorAt${n}`;
    const id = `cursorId${n++}`;
    const idOp = orAt ? `${op}=` : op;
    return q.andWhere(
      `(${time} ${op} :${at} OR (${time} = :${at} AND ${alias}.id ${idOp} :${id}))`,
      { [at]: cursor.at, [id]: cursor.id },
    );
  };
  if (after) around(query, after, true);
  if (before) around(query, before, false);
  // Backwards, the rows nearest `before` come first; they are turned round below.
  const fetchOrder = backward === (direction === 'DESC') ? 'ASC' : 'DESC';
  query.orderBy(time, fetchOrder).addOrderBy(`${alias}.id`, fetchOrder);
  const rows = await fetch(query.limit(size + 1));
  const more = rows.length > size;
  const page = rows.slice(0, size);
  if (backward) page.reverse();
  // Is there anything on the far side of the cursor the client came from (`after` going
  // forwards, `before` going backwards)? The cursor's own row counts: it is on that side.
  const behind = backward ? before : after;
  const anyBehind = behind
    ? await around(countQuery.clone(), behind, backward, true).getExists()
    : false;
  const edges = page.map((node) => ({
    node,
    cursor: encodeCursor(node[timeColumn] as Date, node.id),
  }));
  return {
    edges,
    totalCountOf: () => countQuery.getCount(),
    pageInfo: {
      hasNextPage: backward ? anyBehind : more,
      hasPreviousPage: backward ? more : anyBehind,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
