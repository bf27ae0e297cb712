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

/**
 * A DataLoader that also keeps the values it has settled (loaded or primed), so a resolver whose
 * value is already in hand answers synchronously (`loadNow`): graphql-js then completes that
 * subtree without a promise per field. On a list page whose relations were primed by the page's
 * own statement, that is most of the request's promises and much of its garbage.
 */
export class Loader<K, V> extends DataLoader<K, V> {
  private readonly settled: Map<K, V>;

  constructor(batch: DataLoader.BatchLoadFn<K, V>) {
    const settled = new Map<K, V>();
    super(async (keys) => {
      const values = await batch(keys);
      keys.forEach((key, i) => {
        const value = values[i];
        if (!(value instanceof Error) && !settled.has(key)) settled.set(key, value);
      });
      return values;
    });
    this.settled = settled;
  }

  /** The value now when it has settled, else a promise of it (as `load`). */
  loadNow(key: K): V | Promise<V> {
    return this.settled.has(key) ? (this.settled.get(key) as V) : this.load(key);
  }

  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    // As DataLoader's own prime: a key already known keeps its value.
    if (!this.settled.has(key) && !(value instanceof Error) && !isPromiseLike(value)) {
      this.settled.set(key, value);
    }
    return super.prime(key, value);
  }

  override clear(key: K): this {
    this.settled.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.settled.clear();
    return super.clearAll();
  }
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/** `fn` of a `loadNow` result: now when the value is in hand, else when it settles. */
export function mapNow<T, R>(value: T | Promise<T>, fn: (value: T) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/** One SELECT … WHERE id IN (…) per batch; results in key order, null where absent. */
export function loaderById<T extends ObjectLiteral & { id: number }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
): Loader<number, T | null> {
  const find = rawFind(manager, entity, 'id');
  return new Loader(async (ids) => {
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
): Loader<T[K], T[]> {
  const find = rawFind(manager, entity, column, {}, order as never);
  return new Loader(async (keys) => {
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
): Loader<T[K], T | null> {
  const find = rawFind(manager, entity, column, where as never, { id: 'ASC' } as never);
  return new Loader(async (keys) => {
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
