import type { EntityManager } from 'typeorm';

/**
 * Serializes one start-up step across instances on PostgreSQL: a transaction-level advisory lock,
 * keyed per schema, held until the caller's transaction ends. Another instance starting at the
 * same moment waits here, then sees the first one's committed work (e.g. finds the database
 * already seeded). A no-op on SQLite, whose writers queue anyway, and outside a transaction.
 */
export async function lockAcrossInstances(manager: EntityManager, step: string): Promise<void> {
  if (manager.connection.options.type !== 'postgres') return;
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(`lockAcrossInstances(${step}) must run inside a transaction`);
  }
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1 || current_schema()))`, [
    `countersign.${step}.`,
  ]);
}
