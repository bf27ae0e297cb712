import { In, IsNull } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { startCountersign } from '../bootstrap';
import type { Countersign, StartOptions } from '../bootstrap';
import { SEED_NOW } from '../../seeds/fixtures';
import { isEmpty, seedDatabase } from '../../seeds/seed';
import type { SeedSummary, SeededToken } from '../../seeds/seed';
import { assessAllOrders } from '../services/risk/risk.service';
import { lockAcrossInstances } from '../db/locks';
import { ApiToken, Buyer, Seller } from '../entities';
import { hashToken } from '../auth/token-hash';
import { ConfigError } from '../config/env';
import { devTokenSpecs } from '../../seeds/dev-tokens';
import type { AppConfig } from '../config/config';
import { loadReferenceDataIfMissing } from '../reference/load-reference-data';

export interface SeedResult {
  seeded: boolean;
  /**
   * Dev tokens to print (they are deterministic, so known even when the data was already there);
   * none in production.
   */
  tokens: Pick<SeededToken, 'role' | 'label' | 'token'>[];
}

export interface SeedIfEmptyOptions {
  /**
   * Production (COUNTERSIGN_DEV off): the reference data only (catalog, signature terms), no demo
   * data, no dev tokens.
   */
  production?: boolean;
  /** Reference date of the demo data and its risk assessments; default SEED_NOW. */
  now?: Date;
}

/** Runs `fn` in the caller's transaction when there is one (npm start seeds under the write lock). */
function inTransaction<T>(manager: EntityManager, fn: (tx: EntityManager) => Promise<T>) {
  return manager.queryRunner?.isTransactionActive ? fn(manager) : manager.transaction(fn);
}

/**
 * Seeds the demo fixtures dated relative to `now` (each order imported, and assessed as of its
 * import) and, in the same transaction, reassesses every seeded order in one batch as of that
 * same `now`, so each current assessment sees every other order at its address and its "account
 * is N days old" holds on the day it was seeded.
 */
export function seedAndAssess(manager: EntityManager, now: Date = SEED_NOW): Promise<SeedSummary> {
  return inTransaction(manager, async (tx) => {
    const summary = await seedDatabase(tx, { now, devTokens: true });
    await assessAllOrders(tx, now);
    return summary;
  });
}

/**
 * Seeds an empty database; otherwise reports the dev tokens that the existing seed data uses.
 * In production only the reference data is seeded (once): the dev tokens are derived from fixed
 * strings, so anyone could use them, the admin's included.
 */
export async function seedIfEmpty(
  manager: EntityManager,
  options: SeedIfEmptyOptions = {},
): Promise<SeedResult> {
  // Instances starting together on one empty PostgreSQL database: one seeds, the others wait.
  if (manager.queryRunner?.isTransactionActive) await lockAcrossInstances(manager, 'seed');
  if (options.production) {
    await refuseDevTokens(manager);
    const seeded = await inTransaction(manager, loadReferenceDataIfMissing);
    return { seeded, tokens: [] };
  }
  if (await isEmpty(manager)) {
    const summary = await seedAndAssess(manager, options.now);
    return { seeded: true, tokens: summary.tokens };
  }
  const sellers = await manager.find(Seller, { order: { id: 'ASC' } });
  const buyers = await manager.find(Buyer, { order: { id: 'ASC' } });
  return { seeded: false, tokens: devTokenSpecs(sellers, buyers) };
}

/**
 * Production on a database that `npm start` seeded would still honour the well-known dev tokens
 * (anyone can recompute them, the admin's included): refuse to start rather than serve them.
 */
async function refuseDevTokens(manager: EntityManager): Promise<void> {
  const sellers = await manager.find(Seller, { order: { id: 'ASC' } });
  const buyers = await manager.find(Buyer, { order: { id: 'ASC' } });
  const hashes = devTokenSpecs(sellers, buyers).map((spec) => hashToken(spec.token));
  const live = await manager.count(ApiToken, {
    where: { tokenHash: In(hashes), revokedAt: IsNull() },
  });
  if (live > 0) {
    throw new ConfigError(
      'DATABASE_URL',
      `DATABASE_URL holds ${live} well-known dev token(s) seeded with COUNTERSIGN_DEV=on; ` +
        'production needs a database of its own (or those tokens revoked)',
    );
  }
}

/**
 * The seed options for a deployment: without COUNTERSIGN_DEV reference data only; with it demo data
 * dated today (so "the account is 3 days old" stays true against the real clock), except under
 * test, which keeps the fixed SEED_NOW for deterministic data.
 */
export function seedOptionsFor(config: AppConfig, now: Date = new Date()): SeedIfEmptyOptions {
  return {
    production: !config.devMode,
    now: config.nodeEnv === 'test' ? SEED_NOW : now,
  };
}

/**
 * Seeds an empty database (production: loads the reference data only) in one transaction,
 * through the write lock that every other write on SQLite queues behind as well.
 */
export function prepareDatabase(
  countersign: Pick<Countersign, 'config' | 'db'>,
): Promise<SeedResult> {
  return countersign.db.transaction((tx) =>
    seedIfEmpty(tx.manager, seedOptionsFor(countersign.config)),
  );
}

/**
 * `npm start`: migrates, seeds (prepareDatabase) and only then listens, so once `/healthz`
 * answers the reference data and, with COUNTERSIGN_DEV, the dev tokens are in the database.
 */
export async function startSeeded(
  config: AppConfig,
  options: Omit<StartOptions, 'beforeListen'> = {},
): Promise<{ countersign: Countersign; seeded: SeedResult }> {
  let seeded: SeedResult | undefined;
  const countersign = await startCountersign(config, {
    ...options,
    beforeListen: async (ready) => {
      seeded = await prepareDatabase(ready);
    },
  });
  if (!seeded) throw new Error('start-up finished without seeding');
  return { countersign, seeded };
}
