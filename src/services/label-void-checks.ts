import type { EntityManager } from 'typeorm';
import { Buyer, Notification, Shipment, TrackingEvent } from '../entities';
import type { Order } from '../entities';
import { NotificationKind, NotificationStatus } from '../entities/enums';
import { draftNotification } from '../notifications/compose';
import { INTERNAL_EVENT_ID_LIKE } from './tracking/event-ids';

/**
 * Whether the carrier has reported anything at all for the shipment. A void must be refused once
 * it has, whatever time the carrier stamped on the event: an event stamped before the label (a
 * clock skew at the carrier) does not move the shipment's status, but the parcel is in the
 * carrier's hands. Our own events (label created, void) have ids in the internal namespace.
 */
export async function carrierHasScanned(m: EntityManager, labelId: number): Promise<boolean> {
  const query = m
    .createQueryBuilder(TrackingEvent, 'e')
    .innerJoin(Shipment, 's', 's.id = e.shipmentId')
    .where('s.labelId = :labelId', { labelId });
  INTERNAL_EVENT_ID_LIKE.forEach((pattern, i) =>
    query.andWhere(`e.carrierEventId NOT LIKE :internal${i}`, { [`internal${i}`]: pattern }),
  );
  return (await query.getCount()) > 0;
}

/**
 * After a void: a buyer already told "a signature will be needed" hears that it no longer
 * applies. A notice still pending was cancelled instead and never reaches the buyer.
 */
export async function noticeVoidToBuyer(
  m: EntityManager,
  cause: {
    order: Order;
    shipment: Shipment;
    labelId: number;
    now: Date;
    requestId?: string | null;
  },
): Promise<void> {
  const told = await m.count(Notification, {
    where: {
      shipmentId: cause.shipment.id,
      kind: NotificationKind.SIGNATURE_REQUIRED,
      status: NotificationStatus.SENT,
    },
  });
  if (told === 0) return;
  const buyer = await m.findOneByOrFail(Buyer, { id: cause.order.buyerId });
  const draft = draftNotification({
    kind: NotificationKind.LABEL_VOIDED,
    buyer,
    order: cause.order,
    shipment: cause.shipment,
    causeId: `label:${cause.labelId}`,
    now: cause.now,
    requestId: cause.requestId,
  });
  await m.insert(Notification, draft);
}
