import DataLoader from 'dataloader';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { LabelStatus } from '../entities/enums';
import {
  Address,
  Buyer,
  CarrierService,
  CarrierInquiry,
  Charge,
  Claim,
  ClaimTransition,
  DeliveryProof,
  Label,
  RiskAssessment,
  LineItem,
  Order,
  ProofVerdictRecord,
  Seller,
  ServiceSignatureOption,
  ShipFromLocation,
  Shipment,
  TrackingEvent,
} from '../entities';
import { rawFind } from './raw-find';

/** One SELECT … WHERE id IN (…) per batch; results in key order, null where absent. */
export function loaderById<T extends ObjectLiteral & { id: number }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
): DataLoader<number, T | null> {
  const find = rawFind(manager, entity, 'id');
  return new DataLoader(async (ids) => {
    const rows = await find(ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** One SELECT … WHERE <column> IN (…) per batch, grouped by that column. */
export function loaderByColumn<T extends ObjectLiteral, K extends keyof T & string>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  column: K,
  order: Record<string, 'ASC' | 'DESC'> = { id: 'ASC' },
): DataLoader<T[K], T[]> {
  const find = rawFind(manager, entity, column, {}, order as never);
  return new DataLoader(async (keys) => {
    const rows = await find(keys);
    const groups = new Map<T[K], T[]>(keys.map((k) => [k, []]));
    for (const row of rows) groups.get(row[column])?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/**
 * One SELECT … WHERE <column> IN (…) AND <where> per batch, for patterns with at most one match
 * per key (the current risk assessment, the live label); null where absent.
 */
export function loaderOneByColumn<T extends ObjectLiteral, K extends keyof T & string>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  column: K,
  where: Partial<Record<keyof T, unknown>>,
): DataLoader<T[K], T | null> {
  const find = rawFind(manager, entity, column, where as never, { id: 'ASC' } as never);
  return new DataLoader(async (keys) => {
    const rows = await find(keys);
    // Newest wins should two ever match.
    const byKey = new Map(rows.map((r) => [r[column], r]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/**
 * Request-scoped loaders, one per access pattern a list can reach. Created per HTTP request and
 * per subscription event, so no data outlives the request that authorized it.
 */
export function createLoaders(manager: EntityManager) {
  return {
    sellerById: loaderById(manager, Seller),
    buyerById: loaderById(manager, Buyer),
    /** A seller's ship-from locations, the default first. */
    shipFromLocationsBySellerId: loaderByColumn(manager, ShipFromLocation, 'sellerId', {
      isDefault: 'DESC',
      id: 'ASC',
    }),
    addressById: loaderById(manager, Address),
    lineItemsByOrderId: loaderByColumn(manager, LineItem, 'orderId'),
    serviceById: loaderById(manager, CarrierService),
    signatureOptionsByServiceId: loaderByColumn(manager, ServiceSignatureOption, 'serviceId'),
    shipmentById: loaderById(manager, Shipment),
    /** Orders have at most one live shipment; voided ones stay, newest last. */
    shipmentsByOrderId: loaderByColumn(manager, Shipment, 'orderId'),
    trackingEventsByShipmentId: loaderByColumn(manager, TrackingEvent, 'shipmentId', {
      occurredAt: 'ASC',
      id: 'ASC',
    }),
    currentRiskByOrderId: loaderOneByColumn(manager, RiskAssessment, 'orderId', {
      isCurrent: true,
    }),
    /** The order's live (not voided) label. */
    currentLabelByOrderId: loaderOneByColumn(manager, Label, 'orderId', {
      status: LabelStatus.PURCHASED,
    }),
    chargesByLabelId: loaderByColumn(manager, Charge, 'labelId'),
    labelById: loaderById(manager, Label),
    orderById: loaderById(manager, Order),
    deliveryProofById: loaderById(manager, DeliveryProof),
    /** At most one proof per shipment (unique). */
    deliveryProofsByShipmentId: loaderByColumn(manager, DeliveryProof, 'shipmentId'),
    claimById: loaderById(manager, Claim),
    /** Oldest first. */
    claimsByOrderId: loaderByColumn(manager, Claim, 'orderId'),
    /** At most one open claim per order (partial unique index). */
    openClaimByOrderId: loaderOneByColumn(manager, Claim, 'orderId', { closedAt: null }),
    claimTransitionsByClaimId: loaderByColumn(manager, ClaimTransition, 'claimId'),
    /** Oldest first; the last is the proof's current verdict. */
    verdictsByProofId: loaderByColumn(manager, ProofVerdictRecord, 'proofId'),
    /** Oldest first. */
    inquiriesByShipmentId: loaderByColumn(manager, CarrierInquiry, 'shipmentId'),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * Loaders built on first use. Sockets and subscriptions live long and mostly answer from
 * published payloads: most never read, and ~16 DataLoaders each per connection, operation and
 * event would be waste (fan-out cost).
 */
export function lazyLoaders(manager: EntityManager): Loaders {
  let loaders: Loaders | null = null;
  return new Proxy({} as Loaders, {
    get: (_target, key) => (loaders ??= createLoaders(manager))[key as keyof Loaders],
  });
}
