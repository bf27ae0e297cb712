import type { EntityManager } from 'typeorm';
import { isEmpty, seedDatabase } from '../../seeds/seed';
import type { SeededToken } from '../../seeds/seed';
import { Buyer, Seller } from '../entities';
import { devTokenSpecs } from '../../seeds/dev-tokens';

export interface SeedResult {
  seeded: boolean;
  /** Dev tokens to print (they are deterministic, so known even when the data was already there). */
  tokens: Pick<SeededToken, 'role' | 'label' | 'token'>[];
}

/** Seeds an empty database; otherwise reports the dev tokens that the existing seed data uses. */
export async function seedIfEmpty(manager: EntityManager): Promise<SeedResult> {
  if (await isEmpty(manager)) {
    const summary = await seedDatabase(manager);
    return { seeded: true, tokens: summary.tokens };
  }
  const sellers = await manager.find(Seller, { order: { id: 'ASC' } });
  const buyers = await manager.find(Buyer, { order: { id: 'ASC' } });
  return { seeded: false, tokens: devTokenSpecs(sellers, buyers) };
}
