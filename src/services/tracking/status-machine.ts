import { OrderStatus, ShipmentStatus } from '../../entities/enums';

const S = ShipmentStatus;

/** Statuses a shipment never leaves: a late scan cannot un-deliver a parcel. */
export const TERMINAL_STATUSES: ReadonlySet<ShipmentStatus> = new Set([
  S.DELIVERED,
  S.RETURN_TO_SENDER,
  S.CANCELLED,
]);

/** Statuses a carrier may report; CANCELLED only comes from voiding the label. */
export const CARRIER_STATUSES: readonly ShipmentStatus[] = [
  S.LABEL_CREATED,
  S.IN_TRANSIT,
  S.OUT_FOR_DELIVERY,
  S.DELIVERY_ATTEMPTED,
  S.AVAILABLE_FOR_PICKUP,
  S.DELIVERED,
  S.RETURN_TO_SENDER,
  S.EXCEPTION,
];

const MOVING = [S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERY_ATTEMPTED, S.AVAILABLE_FOR_PICKUP];
const ENDINGS = [S.DELIVERED, S.RETURN_TO_SENDER, S.EXCEPTION];

/**
 * Allowed moves. Repeats are allowed (a second attempt, another transit scan); going back to
 * transit after an attempt or an exception is normal carrier behaviour.
 */
const ALLOWED: Record<ShipmentStatus, readonly ShipmentStatus[]> = {
  [S.LABEL_CREATED]: [S.LABEL_CREATED, ...MOVING, ...ENDINGS, S.CANCELLED],
  [S.IN_TRANSIT]: [...MOVING, ...ENDINGS],
  [S.OUT_FOR_DELIVERY]: [...MOVING, ...ENDINGS],
  [S.DELIVERY_ATTEMPTED]: [...MOVING, ...ENDINGS],
  [S.AVAILABLE_FOR_PICKUP]: [S.OUT_FOR_DELIVERY, S.AVAILABLE_FOR_PICKUP, ...ENDINGS],
  [S.EXCEPTION]: [...MOVING, ...ENDINGS],
  [S.DELIVERED]: [],
  [S.RETURN_TO_SENDER]: [],
  [S.CANCELLED]: [],
};

export function canMove(from: ShipmentStatus, to: ShipmentStatus): boolean {
  return ALLOWED[from].includes(to);
}

export type Decision =
  { apply: true } | { apply: false; why: 'TERMINAL' | 'STALE' | 'NOT_ALLOWED' };

/**
 * Whether a carrier event moves the shipment. Events are ordered by the carrier's clock: one
 * older than the event that set the current status is history only, as is anything after a
 * terminal status or a move the carrier could not have made.
 */
export function decide(
  current: { status: ShipmentStatus; statusAt: Date | null },
  event: { status: ShipmentStatus; occurredAt: Date },
): Decision {
  if (TERMINAL_STATUSES.has(current.status)) return { apply: false, why: 'TERMINAL' };
  if (current.statusAt && event.occurredAt.getTime() < current.statusAt.getTime()) {
    return { apply: false, why: 'STALE' };
  }
  if (!canMove(current.status, event.status)) return { apply: false, why: 'NOT_ALLOWED' };
  return { apply: true };
}

/** The order status a shipment status implies; null leaves the order as it is. */
export function orderStatusFor(shipment: ShipmentStatus, order: OrderStatus): OrderStatus | null {
  if (order === OrderStatus.CANCELLED || order === OrderStatus.DELIVERED) return null;
  if (shipment === S.DELIVERED) return OrderStatus.DELIVERED;
  if ([...MOVING, S.EXCEPTION, S.RETURN_TO_SENDER].includes(shipment)) {
    return order === OrderStatus.IN_TRANSIT ? null : OrderStatus.IN_TRANSIT;
  }
  return null;
}

/** Words for an event the carrier sent without a description. */
export function defaultDescription(status: ShipmentStatus, reason: string | null): string {
  switch (status) {
    case S.LABEL_CREATED:
      return 'Shipping label created';
    case S.IN_TRANSIT:
      return 'In transit';
    case S.OUT_FOR_DELIVERY:
      return 'Out for delivery';
    case S.DELIVERY_ATTEMPTED:
      return reason === 'SIGNATURE_UNAVAILABLE'
        ? 'Delivery attempted: nobody was available to sign'
        : 'Delivery attempted';
    case S.AVAILABLE_FOR_PICKUP:
      return 'Available for pickup';
    case S.DELIVERED:
      return 'Delivered';
    case S.RETURN_TO_SENDER:
      return 'Returning to sender';
    case S.EXCEPTION:
      return 'Carrier exception';
    case S.CANCELLED:
      return 'Label voided';
  }
}
