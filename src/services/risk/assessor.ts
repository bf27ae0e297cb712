import type { EntityManager, FindOptionsWhere } from 'typeorm';
import { In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Claim, LineItem, Order, RiskAssessment, SellerRiskSettings } from '../../entities';
import { ClaimOutcome } from '../../entities/enums';
import type { Address } from '../../entities';
import { RULESET_VERSION, assessRisk } from './engine';
import type { RiskInput } from './rules';
import { thresholdsOf } from './settings';
import type { RiskThresholds } from './settings';

const DAY_MS = 86_400_000;
/** Keys per IN (…) list: far below SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

const chunks = <T>(list: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
};

export interface AssessedOrder {
  orderId: number;
  previousLevel: string | null;
  assessment: RiskAssessment;
}

type LoadedOrder = Order & { shipToAddress: Address; billingAddress: Address };

/** Runs a lookup per chunk of ids, sequentially, and concatenates the rows. */
async function inChunks<T, K>(keys: K[], lookup: (part: K[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (const part of chunks(keys)) rows.push(...(await lookup(part)));
  return rows;
}

/** The thresholds each seller uses: their row, or the defaults. */
async function thresholdsBySeller(
  manager: EntityManager,
  sellerIds: number[],
): Promise<Map<number, { thresholds: RiskThresholds; source: 'SELLER' | 'DEFAULT' }>> {
  const rows = await inChunks(sellerIds, (ids) =>
    manager.find(SellerRiskSettings, { where: { sellerId: In(ids) } }),
  );
  const found = new Map(rows.map((r) => [r.sellerId, r]));
  return new Map(
    sellerIds.map((id) => {
      const row = found.get(id);
      return [id, { thresholds: thresholdsOf(row), source: row ? 'SELLER' : 'DEFAULT' }];
    }),
  );
}

/** Per ship-to fingerprint: the distinct buyers with orders there. */
async function addressBuyers(
  manager: EntityManager,
  fingerprints: string[],
): Promise<Map<string, Set<number>>> {
  const buyers = new Map<string, Set<number>>();
  for (const list of chunks(fingerprints)) {
    const rows: Array<{ fingerprint: string; buyerId: number }> = await manager
      .createQueryBuilder(Order, 'o')
      .innerJoin('o.shipToAddress', 'a')
      .select('a.fingerprint', 'fingerprint')
      .addSelect('o.buyerId', 'buyerId')
      .where('a.fingerprint IN (:...list)', { list })
      .groupBy('a.fingerprint')
      .addGroupBy('o.buyerId')
      .getRawMany();
    for (const row of rows) {
      const set = buyers.get(row.fingerprint) ?? new Set<number>();
      set.add(Number(row.buyerId));
      buyers.set(row.fingerprint, set);
    }
  }
  return buyers;
}

/** What the claims say about buyers and addresses: counted from the claims, never stored. */
interface ClaimHistory {
  /** Per buyer: claims filed, and how many were decided for the seller. */
  byBuyer: Map<number, { filed: number; forSeller: number }>;
  /** Per ship-to fingerprint: claims filed there, per buyer who filed them. */
  byAddress: Map<string, Map<number, number>>;
}

async function claimHistory(
  manager: EntityManager,
  buyerIds: number[],
  fingerprints: string[],
): Promise<ClaimHistory> {
  const byBuyer = new Map<number, { filed: number; forSeller: number }>();
  for (const list of chunks(buyerIds)) {
    const rows: Array<{ buyerId: number; filed: number; forSeller: number }> = await manager
      .createQueryBuilder(Claim, 'c')
      .select('c.buyerId', 'buyerId')
      .addSelect('COUNT(*)', 'filed')
      .addSelect('SUM(CASE WHEN c.outcome = :won THEN 1 ELSE 0 END)', 'forSeller')
      .where('c.buyerId IN (:...list)', { list, won: ClaimOutcome.RESOLVED_FOR_SELLER })
      .groupBy('c.buyerId')
      .getRawMany();
    for (const row of rows) {
      byBuyer.set(Number(row.buyerId), {
        filed: Number(row.filed),
        forSeller: Number(row.forSeller),
      });
    }
  }
  const byAddress = new Map<string, Map<number, number>>();
  for (const list of chunks(fingerprints)) {
    const rows: Array<{ fingerprint: string; buyerId: number; filed: number }> = await manager
      .createQueryBuilder(Claim, 'c')
      .select('c.shipToFingerprint', 'fingerprint')
      .addSelect('c.buyerId', 'buyerId')
      .addSelect('COUNT(*)', 'filed')
      .where('c.shipToFingerprint IN (:...list)', { list })
      .groupBy('c.shipToFingerprint')
      .addGroupBy('c.buyerId')
      .getRawMany();
    for (const row of rows) {
      const buyers = byAddress.get(row.fingerprint) ?? new Map<number, number>();
      buyers.set(Number(row.buyerId), Number(row.filed));
      byAddress.set(row.fingerprint, buyers);
    }
  }
  return { byBuyer, byAddress };
}

function inputOf(
  order: LoadedOrder,
  items: LineItem[],
  buyersHere: Set<number>,
  claims: ClaimHistory,
  now: Date,
): RiskInput {
  const buyer = order.buyer!;
  const ship = order.shipToAddress;
  let otherBuyersClaims = 0;
  for (const [buyerId, filed] of claims.byAddress.get(ship.fingerprint) ?? []) {
    if (buyerId !== order.buyerId) otherBuyersClaims += filed;
  }
  const own = claims.byBuyer.get(order.buyerId) ?? { filed: 0, forSeller: 0 };
  return {
    currency: order.currency,
    totalMinor: order.totalMinor,
    items: items.map((i) => ({
      sku: i.sku,
      quantity: i.quantity,
      ageRestricted: !!i.ageRestricted,
    })),
    shippingSpeed: order.shippingSpeed,
    addressChangedAfterCheckout: !!order.addressChangedAfterCheckout,
    onHold: !!order.onHold,
    buyer: {
      accountAgeDays: Math.max(0, Math.floor((now.getTime() - buyer.createdAt.getTime()) / DAY_MS)),
      notReceivedClaims: own.filed,
      claimsDecidedForSeller: own.forSeller,
    },
    shipTo: {
      line1: ship.line1,
      line2: ship.line2,
      postalCode: ship.postalCode,
      region: ship.region,
      country: ship.country,
      otherBuyersClaims,
      distinctBuyers: Math.max(buyersHere.size, 1),
    },
    billing: { region: order.billingAddress.region, country: order.billingAddress.country },
  };
}

/**
 * Assesses every order matching `where` in one batch — a handful of statements whatever the
 * number of orders — stores a new current assessment for each with the inputs and thresholds it
 * used, and keeps the earlier ones (no longer current) for audit. Runs on the caller's manager,
 * so inside the caller's transaction.
 */
export async function assessOrders(
  manager: EntityManager,
  where: FindOptionsWhere<Order>,
  now: Date = new Date(),
): Promise<AssessedOrder[]> {
  // PostgreSQL: lock the orders first, so a concurrent reassessment of one of them waits and then
  // sees this one's assessment as the current one to retire (else both would stay current).
  // SQLite has no row locks, and its writers are serialized anyway.
  const lock =
    manager.connection.options.type === 'postgres' && manager.queryRunner?.isTransactionActive
      ? { mode: 'pessimistic_write' as const, tables: ['orders'] }
      : undefined;
  const orders = (await manager.find(Order, {
    where,
    relations: { buyer: true, shipToAddress: true, billingAddress: true },
    order: { id: 'ASC' },
    lock,
  })) as LoadedOrder[];
  if (orders.length === 0) return [];
  const orderIds = orders.map((o) => o.id);

  // One after another: these share the transaction's connection, which runs one query at a time.
  const items = await inChunks(orderIds, (ids) =>
    manager.find(LineItem, { where: { orderId: In(ids) }, order: { id: 'ASC' } }),
  );
  const previous = await inChunks(orderIds, (ids) =>
    manager.find(RiskAssessment, {
      select: { id: true, orderId: true, level: true },
      where: { orderId: In(ids), isCurrent: true },
    }),
  );
  const settings = await thresholdsBySeller(manager, [...new Set(orders.map((o) => o.sellerId))]);
  const fingerprints = [...new Set(orders.map((o) => o.shipToAddress.fingerprint))];
  const buyersAt = await addressBuyers(manager, fingerprints);
  const claims = await claimHistory(
    manager,
    [...new Set(orders.map((o) => o.buyerId))],
    fingerprints,
  );
  const itemsByOrder = new Map<number, LineItem[]>(orderIds.map((id) => [id, []]));
  for (const item of items) itemsByOrder.get(item.orderId)?.push(item);
  const previousLevel = new Map(previous.map((p) => [p.orderId, p.level as string]));

  const assessments = orders.map((order) => {
    const { thresholds, source } = settings.get(order.sellerId)!;
    const input = inputOf(
      order,
      itemsByOrder.get(order.id)!,
      buyersAt.get(order.shipToAddress.fingerprint) ?? new Set(),
      claims,
      now,
    );
    const result = assessRisk(input, thresholds);
    return manager.create(RiskAssessment, {
      orderId: order.id,
      sellerId: order.sellerId,
      ...result,
      rulesetVersion: RULESET_VERSION,
      inputs: { assessedAt: now.toISOString(), input, thresholds, thresholdsSource: source },
      isCurrent: true,
      createdAt: now,
    });
  });

  for (const ids of chunks(previous.map((p) => p.id))) {
    await manager.update(RiskAssessment, { id: In(ids) }, { isCurrent: false });
  }
  for (let i = 0; i < assessments.length; i += 100) {
    // Multi-row INSERTs; the generated ids are merged back into the entities.
    await manager.insert(
      RiskAssessment,
      assessments.slice(i, i + 100) as QueryDeepPartialEntity<RiskAssessment>[],
    );
  }
  return assessments.map((assessment) => ({
    orderId: assessment.orderId,
    previousLevel: previousLevel.get(assessment.orderId) ?? null,
    assessment,
  }));
}
