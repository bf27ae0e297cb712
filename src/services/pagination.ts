import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../config/security';
import { badInput } from '../graphql/errors';
import { MAX_SERIAL } from '../graphql/global-id';

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
