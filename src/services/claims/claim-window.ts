import type { ClaimSettings } from '../../config/config';
import type { Label, Shipment } from '../../entities';
import { ShipmentStatus } from '../../entities/enums';

const DAY_MS = 86_400_000;

export type ClaimWindow =
  | { claimable: true; opensAt: Date; closesAt: Date }
  | { claimable: false; why: string; closesAt?: undefined };

/** Carrier statuses that end a shipment without a delivery: nothing is overdue then. */
const ENDED = [ShipmentStatus.RETURN_TO_SENDER, ShipmentStatus.CANCELLED];

/**
 * When a not-received claim may be filed on a shipment. A delivered shipment: from the carrier's
 * delivery time. One still on its way: from when it is overdue — the carrier's estimated delivery
 * plus `overdueGraceDays`, or without an estimate `overdueWithoutEstimateDays` after the label
 * was bought. Either way the window lasts `filingWindowDays`.
 */
export function claimableFrom(
  shipment: Shipment | null,
  label: Label | null,
  settings: ClaimSettings,
  now: Date,
): ClaimWindow {
  if (!shipment) return { claimable: false, why: 'The order has not shipped' };
  if (ENDED.includes(shipment.status)) {
    return { claimable: false, why: 'The shipment was cancelled or is returning to the seller' };
  }
  let opensAt: Date;
  if (shipment.status === ShipmentStatus.DELIVERED) {
    opensAt = shipment.statusAt ?? shipment.updatedAt;
  } else {
    const eta = shipment.estimatedDeliveryAt;
    const bought = label?.createdAt ?? shipment.createdAt;
    opensAt = eta
      ? new Date(eta.getTime() + settings.overdueGraceDays * DAY_MS)
      : new Date(bought.getTime() + settings.overdueWithoutEstimateDays * DAY_MS);
    if (now.getTime() < opensAt.getTime()) {
      return {
        claimable: false,
        why: `The order is not delivered yet and counts as overdue from ${opensAt.toISOString()}`,
      };
    }
  }
  return {
    claimable: true,
    opensAt,
    closesAt: new Date(opensAt.getTime() + settings.filingWindowDays * DAY_MS),
  };
}
