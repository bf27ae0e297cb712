import { createPubSub } from '@graphql-yoga/subscription';
import type { PubSub, PubSubEventTarget } from '@graphql-yoga/subscription';

/** Change notices published after a transaction commits; subscribers reload what they show. */
export interface ShipmentChanged {
  shipmentId: number;
  orderId: number;
  sellerId: number;
  buyerId: number;
}

/** Topics, narrow so that fan-out touches only interested subscribers. */
export type Topics = {
  /** Changes of one shipment (its buyer's and seller's per-shipment / per-order views). */
  'shipment:changed': [shipmentId: number, payload: ShipmentChanged];
  /** Every shipment change of one seller (dashboard feed). */
  'seller:shipments': [sellerId: number, payload: ShipmentChanged];
};

export type EventBus = PubSub<Topics>;

/**
 * In-process by default; with an event target from Redis, a publish on one instance reaches
 * subscribers on every instance.
 */
export function createEventBus(eventTarget?: PubSubEventTarget<Topics>): EventBus {
  return createPubSub<Topics>(eventTarget ? { eventTarget } : undefined);
}
