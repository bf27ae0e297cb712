import { setMaxListeners } from 'node:events';
import { createPubSub } from '@graphql-yoga/subscription';
import type { PubSub, PubSubEventTarget } from '@graphql-yoga/subscription';
import type { Shipment, TrackingEvent } from '../entities';
import type { Carrier, ShipmentStatus, SignatureOption } from '../entities/enums';
import { topicIterator } from './topic-iterator';
import type { ListenerTarget } from './topic-iterator';

/** What a shipment change consists of; a subscriber sees every kind that applies. */
export enum ShipmentChange {
  CREATED = 'CREATED',
  STATUS = 'STATUS',
  EVENT_ADDED = 'EVENT_ADDED',
  ESTIMATED_DELIVERY = 'ESTIMATED_DELIVERY',
  DELIVERY_PROOF = 'DELIVERY_PROOF',
  CANCELLED = 'CANCELLED',
  CURRENT = 'CURRENT',
}

/**
 * The committed shipment row in JSON-safe form (times as ISO strings), so the payload means the
 * same in-process and after a trip through Redis.
 */
export interface ShipmentSnapshot {
  id: number;
  orderId: number;
  sellerId: number;
  buyerId: number;
  labelId: number;
  carrier: Carrier;
  trackingNumber: string;
  status: ShipmentStatus;
  statusReason: string | null;
  signatureRequirement: SignatureOption;
  statusAt: string | null;
  estimatedDeliveryAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The tracking event behind a change; carries the requirement so no subscriber reads it back. */
export interface TrackingEventSnapshot {
  id: number;
  shipmentId: number;
  carrier: Carrier;
  carrierEventId: string;
  status: ShipmentStatus;
  reason: string | null;
  description: string;
  location: string | null;
  occurredAt: string;
  receivedAt: string;
  signatureRequirement: SignatureOption;
}

/**
 * Published after a transaction commits. The ids route it; publishers that include `shipment`
 * (and `event`) let every subscriber answer from the payload without reading the database —
 * one event may fan out to thousands of subscribers.
 */
export interface ShipmentChanged {
  shipmentId: number;
  orderId: number;
  sellerId: number;
  buyerId: number;
  shipment?: ShipmentSnapshot;
  event?: TrackingEventSnapshot | null;
  changes?: ShipmentChange[];
  previousStatus?: ShipmentStatus | null;
  /** Delivered without the signature that was paid for. */
  signatureMissing?: boolean;
  /** The delivery proof has a failed check. */
  proofFlagged?: boolean;
}

/** Topics, narrow so that fan-out touches only interested subscribers. */
export type Topics = {
  /** Changes of one shipment (its buyer's and seller's per-shipment / per-order views). */
  'shipment:changed': [shipmentId: number, payload: ShipmentChanged];
  /** Every shipment change of one seller (dashboard feed). */
  'seller:shipments': [sellerId: number, payload: ShipmentChanged];
  /** Progress of one label batch: after each item's outcome commits, and when it completes. */
  'batch:progress': [batchId: number, payload: LabelBatchProgress];
  /** Every committed move of a claim, on its buyer's topic and on its seller's. */
  'claims:buyer': [buyerId: number, payload: ClaimChanged];
  'claims:seller': [sellerId: number, payload: ClaimChanged];
  /** Every order of one seller the platform created or changed (import, hold, cancel, ship-to). */
  'seller:orders': [sellerId: number, payload: OrderChanged];
};

/** A claim moved (published after commit); subscribers read the claim as committed. */
export interface ClaimChanged {
  claimId: number;
  orderId: number;
  sellerId: number;
  buyerId: number;
  status: string;
  /** The transition that was recorded. */
  transitionId: number;
}

/** Publishes one claim move to its buyer and its seller. */
export function publishClaimChanged(bus: EventBus, payload: ClaimChanged): void {
  bus.publish('claims:buyer', payload.buyerId, payload);
  bus.publish('claims:seller', payload.sellerId, payload);
}

/** What the platform did to an order; a subscriber reads the order as committed. */
export enum OrderChange {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  HELD = 'HELD',
  RELEASED = 'RELEASED',
  CANCELLED = 'CANCELLED',
  SHIP_TO_CHANGED = 'SHIP_TO_CHANGED',
}

/** Published after the order's transaction commits; ids only, JSON-safe. */
export interface OrderChanged {
  orderId: number;
  sellerId: number;
  change: OrderChange;
  /** Level of the assessment made in that transaction. */
  riskLevel: string;
}

/** One item's committed outcome, JSON-safe. */
export interface LabelBatchItemSnapshot {
  index: number;
  status: string;
  labelId: number | null;
  errorCode: string | null;
  errorField: string[] | null;
  errorMessage: string | null;
}

/** A batch's committed counters and, when an item just finished, that item. */
export interface LabelBatchProgress {
  batchId: number;
  sellerId: number;
  status: string;
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  item: LabelBatchItemSnapshot | null;
}

export type EventBus = Omit<PubSub<Topics>, 'subscribe'> & {
  /** Events of one topic and id from now on, until the iterator is returned (unsubscribed). */
  subscribe<K extends keyof Topics>(
    topic: K,
    id: Topics[K][0],
  ): AsyncIterableIterator<Topics[K][1]>;
};

/**
 * Lifts Node's EventTarget warning at 11 listeners of one type: every subscriber of a shipment
 * listens on its topic, and a thousand of them is a busy shipment, not a leak.
 */
export function unlimited<T extends EventTarget>(target: T): T {
  setMaxListeners(0, target);
  return target;
}

/**
 * In-process by default; with an event target from Redis, a publish on one instance reaches
 * subscribers on every instance.
 */
export function createEventBus(
  eventTarget: PubSubEventTarget<Topics> = unlimited(
    new EventTarget(),
  ) as PubSubEventTarget<Topics>,
): EventBus {
  const pubsub = createPubSub<Topics>({ eventTarget });
  return {
    publish: pubsub.publish,
    // Lighter than the pubsub's own Repeater when one event reaches thousands (topic-iterator.ts).
    subscribe: <K extends keyof Topics>(topic: K, id: Topics[K][0]) =>
      topicIterator<Topics[K][1]>(eventTarget as ListenerTarget, `${topic}:${id}`),
  };
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export function shipmentSnapshot(s: Shipment): ShipmentSnapshot {
  return {
    id: s.id,
    orderId: s.orderId,
    sellerId: s.sellerId,
    buyerId: s.buyerId,
    labelId: s.labelId,
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    status: s.status,
    statusReason: s.statusReason,
    signatureRequirement: s.signatureRequirement,
    statusAt: iso(s.statusAt),
    estimatedDeliveryAt: iso(s.estimatedDeliveryAt),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export function trackingEventSnapshot(e: TrackingEvent, shipment: Shipment): TrackingEventSnapshot {
  return {
    id: e.id,
    shipmentId: e.shipmentId,
    carrier: e.carrier,
    carrierEventId: e.carrierEventId,
    status: e.status,
    reason: e.reason,
    description: e.description,
    location: e.location,
    occurredAt: e.occurredAt.toISOString(),
    receivedAt: e.receivedAt.toISOString(),
    signatureRequirement: shipment.signatureRequirement,
  };
}

const date = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

/** The snapshot back as the row it was taken from (dates as Date), for field resolvers. */
export function shipmentFromSnapshot(s: ShipmentSnapshot): Shipment {
  return {
    ...s,
    statusAt: date(s.statusAt),
    estimatedDeliveryAt: date(s.estimatedDeliveryAt),
    createdAt: new Date(s.createdAt),
    updatedAt: new Date(s.updatedAt),
  };
}

/** A published tracking event as a row, with the shipment's requirement it carries. */
export type PublishedTrackingEvent = TrackingEvent & { signatureRequirement: SignatureOption };

export function trackingEventFromSnapshot(e: TrackingEventSnapshot): PublishedTrackingEvent {
  return { ...e, occurredAt: new Date(e.occurredAt), receivedAt: new Date(e.receivedAt) };
}

/** Builds the full payload from committed rows (call it inside the transaction, publish after). */
export function shipmentChanged(
  shipment: Shipment,
  details: Omit<
    ShipmentChanged,
    'shipmentId' | 'orderId' | 'sellerId' | 'buyerId' | 'shipment' | 'event'
  > & {
    event?: TrackingEvent | null;
  } = {},
): ShipmentChanged {
  const { event, ...rest } = details;
  return {
    shipmentId: shipment.id,
    orderId: shipment.orderId,
    sellerId: shipment.sellerId,
    buyerId: shipment.buyerId,
    shipment: shipmentSnapshot(shipment),
    event: event ? trackingEventSnapshot(event, shipment) : null,
    ...rest,
  };
}

/** Publishes one change on both topics: the shipment's own and its seller's feed. */
export function publishShipmentChanged(bus: EventBus, payload: ShipmentChanged): void {
  bus.publish('shipment:changed', payload.shipmentId, payload);
  bus.publish('seller:shipments', payload.sellerId, payload);
}
