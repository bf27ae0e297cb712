import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Database } from '../db/database';
import { IdempotencyRecord } from '../entities';

/** 1–255 printable ASCII characters, not all blank (a UUID is the usual choice). */
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

export function isValidIdempotencyKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_PATTERN.test(key) && key.trim().length > 0;
}

/**
 * SHA-256 of the request in canonical form (fixed key order), so a retry with the same input
 * matches and any other input under the same key is told apart.
 */
export function purchaseRequestHash(input: {
  quoteId: string;
  rateId: string;
  signatureOption: string;
}): string {
  const canonical = JSON.stringify([
    ['quoteId', input.quoteId],
    ['rateId', input.rateId],
    ['signatureOption', input.signatureOption],
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export function findIdempotencyRecord(
  manager: EntityManager,
  sellerId: number,
  key: string,
): Promise<IdempotencyRecord | null> {
  return manager.findOne(IdempotencyRecord, { where: { sellerId, key } });
}

/**
 * The record as committed: absent, a claim (no label yet: a purchase holds the key, see
 * LabelPurchaseService), or settled with its label. Reads outside a transaction see committed rows
 * only (PostgreSQL; a SQLite file through the reader connection, see Database), except on
 * in-memory SQLite, which has no reader connection: there a read shares the writer's connection
 * and can see another request's purchase in flight. Then wait for it behind the write queue and
 * read again.
 */
export async function settledIdempotencyRecord(
  db: Database,
  sellerId: number,
  key: string,
): Promise<IdempotencyRecord | null> {
  const record = await findIdempotencyRecord(db.manager, sellerId, key);
  if (!record || record.labelId !== null) return record;
  return db.transaction((tx) => findIdempotencyRecord(tx.manager, sellerId, key));
}
