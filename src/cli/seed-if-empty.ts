import type { EntityManager } from 'typeorm';
import { SEED_NOW } from '../../seeds/fixtures';
import { isEmpty, seedDatabase } from '../../seeds/seed';
import type { SeedSummary, SeededToken } from '../../seeds/seed';
import { assessAllOrders } from '../services/risk/risk.service';
import { lockAcrossInstances } from '../db/locks';
import { Buyer, Seller } from '../entities';
import { devTokenSpecs } from '../../seeds/dev-tokens';

export interface SeedResult {
  seeded: boolean;
  /** Dev tokens to print (they are deterministic, so known even when the data was already there). */
  tokens: Pick<SeededToken, 'role' | 'label' | 'token'>[];
}

/**
 * Seeds the fixtures and, in the same transaction, assesses every seeded order (one batch, as of
 * the fixtures' reference date), so each order starts with a current risk assessment.
 */
export function seedAndAssess(manager: EntityManager): Promise<SeedSummary> {
  const run = async (tx: EntityManager) => {
    const summary = await seedDatabase(tx);
    await assessAllOrders(tx, SEED_NOW);
    return summary;
  };
  // Inside the caller's transaction when there is one (npm start seeds under the write lock).
  return manager.queryRunner?.isTransactionActive ? run(manager) : manager.transaction(run);
}

/** Seeds an empty database; otherwise reports the dev tokens that the existing seed data uses. */
export async function seedIfEmpty(manager: EntityManager): Promise<SeedResult> {
  // Instances starting together on one empty PostgreSQL database: one seeds, the others wait.
  if (manager.queryRunner?.isTransactionActive) await lockAcrossInstances(manager, 'seed');
  if (await isEmpty(manager)) {
    const summary = await seedAndAssess(manager);
    return { seeded: true, tokens: summary.tokens };
  }
  const sellers = await manager.find(Seller, { order: { id: 'ASC' } });
  const buyers = await manager.find(Buyer, { order: { id: 'ASC' } });
  return { seeded: false, tokens: devTokenSpecs(sellers, buyers) };
}
