import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { Database } from '../db/database';
import { CarrierOperation } from '../entities';
import { CarrierOperationStatus } from '../entities/enums';

/**
 * Carrier operations (purchases and voids of labels) are recorded and committed before the carrier
 * is called (see CarrierOperation). Whoever works on one holds its lease; these helpers change an
 * operation only while the caller's lease still holds it, so a request and a reconciler that took
 * over after the lease ran out never both finish (or both give back) the same label.
 */

const { PENDING, VOIDING } = CarrierOperationStatus;

/** Statuses the reconciler still has to resolve. */
export const UNRESOLVED = [PENDING, VOIDING];

/**
 * How long a request (or a reconciler) holds an operation: the carrier call and the commit after
 * it, with room to spare. Only then may a reconciler take it over; taking over early would still be
 * safe (every change is guarded on the lease), just wasted work.
 */
export const operationLeaseMs = (carrierTimeoutMs: number): number => 2 * carrierTimeoutMs + 1_000;

/**
 * This process, as the first part of every lease it takes. A SQLite file is served by one process
 * (the write lock is in-process), so there an operation leased by another process is abandoned (the
 * process died) and is taken over at once; on PostgreSQL only once its lease has run out.
 */
export const PROCESS_ID = randomUUID().slice(0, 12);

/** A lease id: unique per holder and attempt. */
export const newLease = (): string => `${PROCESS_ID}:${randomUUID()}`;

/** The SQL condition (alias `o`, or the bare table) under which an unresolved operation is free. */
function freeCondition(db: Database, column: (name: string) => string): string {
  const expired = `(${column('claimedUntil')} IS NULL OR ${column('claimedUntil')} < :now)`;
  if (db.kind !== 'sqlite') return expired;
  return `(${expired} OR ${column('claimedBy')} NOT LIKE :mine)`;
}

const freeParams = (now: Date) => ({ now: now.toISOString(), mine: `${PROCESS_ID}:%` });

/** Whether nobody holds the operation (see freeCondition), read from a loaded row. */
export function isFree(db: Database, op: CarrierOperation, now: Date): boolean {
  if (!UNRESOLVED.includes(op.status)) return false;
  if (op.claimedUntil === null || op.claimedUntil.getTime() < now.getTime()) return true;
  return db.kind === 'sqlite' && !(op.claimedBy ?? '').startsWith(`${PROCESS_ID}:`);
}

/**
 * Applies `changes` to the operation only while `lease` holds it in one of `from`; false when the
 * lease was lost (a reconciler took over) or the operation moved on.
 */
export async function moveOperation(
  m: EntityManager,
  id: number,
  lease: string,
  from: CarrierOperationStatus[],
  changes: Partial<CarrierOperation>,
): Promise<boolean> {
  const moved = await m.update(
    CarrierOperation,
    { id, claimedBy: lease, status: In(from) },
    changes,
  );
  return !!moved.affected;
}

/** The same as moveOperation, in a transaction of its own. */
export function moveOperationNow(
  db: Database,
  id: number,
  lease: string,
  from: CarrierOperationStatus[],
  changes: Partial<CarrierOperation>,
): Promise<boolean> {
  return db.transaction((tx) => moveOperation(tx.manager, id, lease, from, changes));
}

/**
 * Takes an unresolved operation nobody holds (see freeCondition) under `lease` until
 * `until`. Guarded in the UPDATE itself, so of two reconcilers (or a reconciler and a retrying
 * request) only one gets it.
 */
export async function takeOverOperation(
  db: Database,
  id: number,
  lease: string,
  now: Date,
  until: Date,
): Promise<CarrierOperation | null> {
  return db.transaction(async ({ manager: m }) => {
    const taken = await m
      .createQueryBuilder()
      .update(CarrierOperation)
      .set({ claimedBy: lease, claimedUntil: until, updatedAt: now })
      .where('id = :id', { id })
      .andWhere('status IN (:...statuses)', { statuses: UNRESOLVED })
      .andWhere(
        freeCondition(db, (name) => `"${name}"`),
        freeParams(now),
      )
      .execute();
    if (!taken.affected) return null;
    return m.findOneBy(CarrierOperation, { id, claimedBy: lease });
  });
}

/** Unresolved operations nobody holds (see freeCondition), oldest first. */
export async function dueOperations(
  db: Database,
  now: Date,
  limit: number,
): Promise<CarrierOperation[]> {
  return db.manager
    .createQueryBuilder(CarrierOperation, 'o')
    .where('o.status IN (:...statuses)', { statuses: UNRESOLVED })
    .andWhere(
      freeCondition(db, (name) => `o.${name}`),
      freeParams(now),
    )
    .orderBy('o.id', 'ASC')
    .limit(limit)
    .getMany();
}

/** The message of an error, cut to the column's size. */
export const errorText = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).slice(0, 500);

/** When a failed carrier call of an operation is tried again: 1 s, 2 s, 4 s … at most 5 min. */
export const retryAt = (now: Date, attempts: number): Date =>
  new Date(now.getTime() + Math.min(300_000, 1_000 * 2 ** Math.max(0, attempts - 1)));

/** The lease was taken over (or the operation resolved) meanwhile: rolls the transaction back. */
export class OperationLeaseLost extends Error {
  constructor(readonly operationId: number) {
    super(`carrier operation ${operationId} is no longer held by this lease`);
  }
}
