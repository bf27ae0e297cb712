import type { Tx } from '../db/database';
import { TrackingEvent } from '../entities';
import type { Shipment } from '../entities';
import { publishShipmentChanged, shipmentChanged } from '../pubsub/event-bus';
import type { EventBus, ShipmentChange, ShipmentChanged } from '../pubsub/event-bus';

/** A tracking event's own fields; the shipment and carrier come from the shipment. */
export type ShipmentEventFields = Pick<
  TrackingEvent,
  'carrierEventId' | 'status' | 'reason' | 'description' | 'location' | 'occurredAt' | 'receivedAt'
>;

/** What the change consists of; the caller may add to it until the transaction commits. */
export type ChangeDetails = Pick<
  ShipmentChanged,
  'previousStatus' | 'signatureMissing' | 'proofFlagged'
> & { changes: ShipmentChange[] };

/**
 * The one way a shipment's history grows: inserts the event in `tx` and registers the publish of
 * the change for after the commit (dropped on rollback). The payload is built at commit from
 * `shipment` and `details` as they stand then, so a caller that moves the shipment's status or
 * adds to `details.changes` later in the same transaction publishes the final state.
 */
export async function recordShipmentEvent(
  tx: Tx,
  bus: EventBus,
  shipment: Shipment,
  fields: ShipmentEventFields,
  details: ChangeDetails,
): Promise<TrackingEvent> {
  const event = tx.manager.create(TrackingEvent, {
    ...fields,
    shipmentId: shipment.id,
    carrier: shipment.carrier,
  });
  await tx.manager.insert(TrackingEvent, event);
  tx.afterCommit(() =>
    publishShipmentChanged(bus, shipmentChanged(shipment, { ...details, event })),
  );
  return event;
}
