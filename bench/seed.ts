import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { hashToken } from '../src/auth/token-hash';
import { createDataSource, databaseKind } from '../src/db/data-source';
import { runPendingMigrations } from '../src/db/migrate';
import {
  ApiToken,
  Label,
  LineItem,
  Order,
  RiskAssessment,
  Seller,
  ShipFromLocation,
  Shipment,
  TrackingEvent,
} from '../src/entities';
import {
  Carrier,
  LabelStatus,
  OrderStatus,
  RiskLevel,
  Role,
  ShipmentStatus,
  SignatureOption,
} from '../src/entities/enums';
import { mulberry32 } from '../seeds/fixtures';
import { seedDatabase } from '../seeds/seed';
import { insertAll } from '../src/db/insert-all';

/** How much data the benchmark database holds beyond the dev seed. */
export interface BenchSeedSize {
  /** Sellers whose dashboards W1 reads (one per load-generator connection). */
  dashboardSellers: number;
  /** Orders per dashboard seller, each with a risk assessment, label, shipment and events. */
  ordersPerDashboardSeller: number;
  /** Sellers whose fresh orders W2 quotes and W3 buys labels for. */
  poolSellers: number;
  /** AWAITING_SHIPMENT orders per pool seller. */
  ordersPerPoolSeller: number;
  /** Sellers with one shipment in transit each, for W4 spread over many sellers (default 0). */
  spreadSellers?: number;
}

export const DEFAULT_SEED_SIZE: BenchSeedSize = {
  dashboardSellers: 10,
  ordersPerDashboardSeller: 120,
  poolSellers: 10,
  ordersPerPoolSeller: 400,
  spreadSellers: 100,
};

export interface BenchSeller {
  id: number;
  token: string;
}

export interface FanoutShipment {
  id: number;
  orderId: number;
  carrier: Carrier;
  trackingNumber: string;
}

/** What the load generator needs to know about the seeded data. */
export interface BenchManifest {
  dashboardSellers: BenchSeller[];
  poolSellers: (BenchSeller & { orderIds: number[] })[];
  /** A shipment of the first dashboard seller, for the fan-out workload. */
  fanoutShipment: FanoutShipment;
  /** One shipment in transit per spread seller, with that seller's token. */
  spreadShipments: (FanoutShipment & { token: string })[];
  journalMode: string;
  counts: Record<string, number>;
  seedMs: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Deterministic, secret-looking bench tokens (bench data only; anyone can recompute them). */
export function benchToken(n: number): string {
  const suffix = createHash('sha256').update(`countersign bench seller ${n}`).digest('hex');
  return `cs_bench_seller_${n}_${suffix.slice(0, 16)}`;
}

const REASONS = [
  { code: 'ORDER_VALUE_ELEVATED', message: 'Order total is at least USD 250.00', weight: 20 },
  { code: 'ADDRESS_CHANGED_AFTER_CHECKOUT', message: 'Ship-to changed after payment', weight: 25 },
  { code: 'SHARED_SHIP_TO', message: 'Several buyers ship to this address', weight: 20 },
  { code: 'RESHIPPER_ADDRESS', message: 'The ship-to address is a package forwarder', weight: 30 },
  { code: 'NEW_BUYER_LARGE_ORDER', message: 'A new account placed a large order', weight: 20 },
  { code: 'ORDER_VALUE_HIGH', message: 'Order total is at least USD 750.00', weight: 60 },
];

const SHIPPED_STATUSES = [
  ShipmentStatus.LABEL_CREATED,
  ShipmentStatus.IN_TRANSIT,
  ShipmentStatus.OUT_FOR_DELIVERY,
  ShipmentStatus.DELIVERED,
];
const ORDER_STATUS_OF: Record<string, OrderStatus> = {
  [ShipmentStatus.LABEL_CREATED]: OrderStatus.LABEL_PURCHASED,
  [ShipmentStatus.IN_TRANSIT]: OrderStatus.IN_TRANSIT,
  [ShipmentStatus.OUT_FOR_DELIVERY]: OrderStatus.IN_TRANSIT,
  [ShipmentStatus.DELIVERED]: OrderStatus.DELIVERED,
};
const CITIES = ['Columbus, OH', 'Memphis, TN', 'Louisville, KY', 'Denver, CO', 'Reno, NV'];

/**
 * Builds the benchmark database at `databaseUrl` (an empty SQLite file or PostgreSQL database):
 * migrations, the dev seed,
 * then, deterministically, dashboard sellers whose orders each have a current risk assessment, a
 * label and a shipment with a few tracking events, and pool sellers with fresh AWAITING_SHIPMENT
 * orders for the quote and purchase workloads. Orders reuse the dev seed's buyers, addresses and
 * line items as templates.
 */
export async function seedBenchDatabase(
  databaseUrl: string,
  size: BenchSeedSize = DEFAULT_SEED_SIZE,
): Promise<BenchManifest> {
  const started = Date.now();
  const dataSource = createDataSource({ url: databaseUrl });
  await dataSource.initialize();
  try {
    await runPendingMigrations(dataSource);
    const manifest = await dataSource.transaction(async (manager) => {
      const summary = await seedDatabase(manager);
      const added = await addBenchData(manager, size);
      return { ...added, counts: { devSeedOrders: summary.counts.orders, ...added.counts } };
    });
    if (databaseKind(databaseUrl) === 'postgres') {
      await dataSource.query('ANALYZE');
      return { ...manifest, journalMode: 'postgres', seedMs: Date.now() - started };
    }
    const [{ journal_mode: journalMode }] = (await dataSource.query('PRAGMA journal_mode')) as {
      journal_mode: string;
    }[];
    // A compact WAL before the server starts, so the first workload does not pay for it.
    await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
    await dataSource.query('ANALYZE');
    return { ...manifest, journalMode, seedMs: Date.now() - started };
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Adds the benchmark's sellers (with bearer tokens) and orders to a database that already holds
 * the dev seed, whose orders serve as templates. The jest SQL-budget test uses it too.
 */
export async function addBenchData(
  manager: EntityManager,
  size: BenchSeedSize,
): Promise<Omit<BenchManifest, 'journalMode' | 'seedMs'>> {
  const now = new Date();
  const rng = mulberry32(20261120);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)];

  const templates = await manager.find(Order, { order: { id: 'ASC' } });
  const items = await manager.find(LineItem, { order: { id: 'ASC' } });
  const itemsByOrder = new Map<number, LineItem[]>();
  for (const item of items) {
    const list = itemsByOrder.get(item.orderId) ?? [];
    list.push(item);
    itemsByOrder.set(item.orderId, list);
  }
  // Bench sellers ship from the seed sellers' default locations (address rows are never edited,
  // so sharing one is safe).
  const origins = await manager.find(ShipFromLocation, {
    where: { isDefault: true },
    order: { sellerId: 'ASC' },
  });

  const spreadCount = size.spreadSellers ?? 0;
  const sellerCount = size.dashboardSellers + size.poolSellers + spreadCount;
  const sellerIds = await insertAll(
    manager,
    Seller,
    Array.from({ length: sellerCount }, (_, i) => ({
      name: `Bench Seller ${i + 1}`,
      createdAt: new Date(now.getTime() - 400 * DAY_MS),
    })),
  );
  await insertAll(
    manager,
    ShipFromLocation,
    sellerIds.map((sellerId, i) => {
      const { id: _id, sellerId: _s, ...origin } = origins[i % origins.length];
      return { ...origin, sellerId };
    }),
  );
  const sellers = sellerIds.map((id, i) => ({ id, token: benchToken(i + 1) }));
  await insertAll(
    manager,
    ApiToken,
    sellers.map((s, i) => ({
      tokenHash: hashToken(s.token),
      role: Role.SELLER,
      sellerId: s.id,
      buyerId: null,
      label: `Bench Seller ${i + 1} (bench)`,
      createdAt: now,
      revokedAt: null,
    })),
  );

  // Orders: copies of the dev seed's orders (buyer, addresses, amounts, items), newest first.
  let serial = 0;
  const orderRows = (sellerId: number, count: number, shipped: boolean) =>
    Array.from({ length: count }, (_, k) => {
      const t = templates[(serial + k * 7) % templates.length];
      serial += 1;
      // A day apart: a label an hour later and its events 6 h apart all lie in the past.
      const placedAt = new Date(now.getTime() - (k + 1) * DAY_MS - Math.floor(rng() * 600_000));
      const { id: _id, number: _n, importDigest: _d, ...rest } = t;
      const number = `BN-${sellerId}-${String(k + 1).padStart(5, '0')}`;
      // Every dashboard page mixes the shipment statuses; pool orders have no shipment yet.
      const shipment = shipped ? SHIPPED_STATUSES[k % SHIPPED_STATUSES.length] : null;
      const status = shipment ? ORDER_STATUS_OF[shipment] : OrderStatus.AWAITING_SHIPMENT;
      return {
        row: {
          ...rest,
          // Bulk rows for load tests, not imports: keyed like one, with no import digest.
          number,
          source: 'bench',
          externalId: number,
          importDigest: null,
          sellerId,
          status,
          placedAt,
          updatedAt: placedAt,
        },
        templateId: t.id,
        shipmentStatus: shipment,
      };
    });

  const dashboard = sellers.slice(0, size.dashboardSellers);
  const pool = sellers.slice(size.dashboardSellers, size.dashboardSellers + size.poolSellers);
  const spread = sellers.slice(size.dashboardSellers + size.poolSellers);
  const drafts = [
    ...dashboard.flatMap((s) => orderRows(s.id, size.ordersPerDashboardSeller, true)),
    ...pool.flatMap((s) => orderRows(s.id, size.ordersPerPoolSeller, false)),
    // Two each: the second one's shipment is in transit.
    ...spread.flatMap((s) => orderRows(s.id, 2, true)),
  ];
  const orderIds = await insertAll(
    manager,
    Order,
    drafts.map((d) => d.row),
  );
  const orders = drafts.map((d, i) => ({
    ...d.row,
    id: orderIds[i],
    templateId: d.templateId,
    shipmentStatus: d.shipmentStatus,
  }));

  const lineItems = orders.flatMap((o) =>
    (itemsByOrder.get(o.templateId) ?? []).map(({ id: _id, orderId: _o, ...item }) => ({
      ...item,
      orderId: o.id,
    })),
  );
  await insertAll(manager, LineItem, lineItems);

  const risks = orders.map((o) => {
    const reasons = REASONS.filter(() => rng() < 0.3);
    const score = Math.min(
      100,
      reasons.reduce((sum, r) => sum + r.weight, 0),
    );
    const level = score >= 60 ? RiskLevel.HIGH : score >= 30 ? RiskLevel.ELEVATED : RiskLevel.LOW;
    return {
      orderId: o.id,
      sellerId: o.sellerId,
      score,
      level,
      reasons,
      recommendedSignature:
        level === RiskLevel.HIGH ? SignatureOption.SIGNATURE_REQUIRED : SignatureOption.NONE,
      rulesetVersion: 'bench',
      inputs: { totalMinor: o.totalMinor, shippingSpeed: o.shippingSpeed },
      isCurrent: true,
      createdAt: o.placedAt,
    };
  });
  await insertAll(manager, RiskAssessment, risks);

  // Labels, shipments and events for the dashboard sellers' orders.
  const shipped = orders.filter((o) => o.shipmentStatus !== null);
  const labels = shipped.map((o, i) => {
    const carrier = i % 2 === 0 ? Carrier.UPS : Carrier.USPS;
    const signatureOption = pick([
      SignatureOption.NONE,
      SignatureOption.SIGNATURE_REQUIRED,
      SignatureOption.ADULT_SIGNATURE_REQUIRED,
    ]);
    const postageMinor = 800 + Math.floor(rng() * 2500);
    const signatureFeeMinor = signatureOption === SignatureOption.NONE ? 0 : 365;
    return {
      orderId: o.id,
      sellerId: o.sellerId,
      quoteId: 0,
      rateId: 'bench',
      serviceId: 1,
      carrier,
      trackingNumber:
        carrier === Carrier.UPS
          ? `1ZBENCH${String(o.id).padStart(11, '0')}`
          : `9400BENCH${String(o.id).padStart(13, '0')}`,
      signatureOption,
      signatureCarrierCode: signatureOption === SignatureOption.NONE ? null : 'bench',
      currency: 'USD',
      postageMinor,
      signatureFeeMinor,
      totalMinor: postageMinor + signatureFeeMinor,
      status: LabelStatus.PURCHASED,
      createdAt: new Date(o.placedAt.getTime() + HOUR_MS),
      voidedAt: null,
    };
  });
  const labelIds = await insertAll(manager, Label, labels);
  const shipments = shipped.map((o, i) => {
    const status = o.shipmentStatus as ShipmentStatus;
    const createdAt = labels[i].createdAt;
    // The events below are 6 h apart; the last one set the status.
    const statusAt = new Date(createdAt.getTime() + SHIPPED_STATUSES.indexOf(status) * 6 * HOUR_MS);
    return {
      orderId: o.id,
      sellerId: o.sellerId,
      buyerId: o.buyerId,
      labelId: labelIds[i],
      carrier: labels[i].carrier,
      trackingNumber: labels[i].trackingNumber,
      status,
      statusReason: null,
      signatureRequirement: labels[i].signatureOption,
      statusAt,
      estimatedDeliveryAt: new Date(createdAt.getTime() + 72 * HOUR_MS),
      createdAt,
      updatedAt: statusAt,
    };
  });
  const shipmentIds = await insertAll(manager, Shipment, shipments);
  const events = shipments.flatMap((s, i) => {
    const count = 1 + SHIPPED_STATUSES.indexOf(s.status);
    return SHIPPED_STATUSES.slice(0, count).map((status, k) => ({
      shipmentId: shipmentIds[i],
      carrier: s.carrier,
      carrierEventId: `bench-${shipmentIds[i]}-${k}`,
      status,
      reason: null,
      description: `Bench event: ${status.toLowerCase().replace(/_/g, ' ')}`,
      location: k === 0 ? null : pick(CITIES),
      occurredAt: new Date(s.createdAt.getTime() + k * 6 * HOUR_MS),
      receivedAt: new Date(s.createdAt.getTime() + k * 6 * HOUR_MS + 1000),
    }));
  });
  await insertAll(manager, TrackingEvent, events);

  // Fan-out: a shipment still in transit, so further IN_TRANSIT scans are accepted.
  const fanoutIndex = shipments.findIndex(
    (s) => s.sellerId === dashboard[0].id && s.status === ShipmentStatus.IN_TRANSIT,
  );
  const poolOrders = orders.filter((o) => o.shipmentStatus === null);
  const fanoutShipmentAt = (index: number): FanoutShipment => ({
    id: shipmentIds[index],
    orderId: shipments[index].orderId,
    carrier: shipments[index].carrier,
    trackingNumber: shipments[index].trackingNumber,
  });
  const spreadShipments = spread.map((seller) => ({
    ...fanoutShipmentAt(
      shipments.findIndex(
        (s) => s.sellerId === seller.id && s.status === ShipmentStatus.IN_TRANSIT,
      ),
    ),
    token: seller.token,
  }));
  return {
    dashboardSellers: dashboard,
    poolSellers: pool.map((s) => ({
      ...s,
      orderIds: poolOrders.filter((o) => o.sellerId === s.id).map((o) => o.id),
    })),
    fanoutShipment: fanoutShipmentAt(fanoutIndex),
    spreadShipments,
    counts: {
      benchOrders: orders.length,
      lineItems: lineItems.length,
      riskAssessments: risks.length,
      labels: labels.length,
      shipments: shipments.length,
      trackingEvents: events.length,
    },
  };
}
