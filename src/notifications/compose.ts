import type { Buyer, Notification, Order, Shipment } from '../entities';
import { NotificationChannel, NotificationKind, NotificationStatus } from '../entities/enums';
import { signatureRequirementText } from '../core/signature-text';

/** The outbox row for a buyer notification, without its id; insert it in the cause's transaction. */
export type NotificationDraft = Omit<Notification, 'id'>;

export interface NotificationCause {
  kind: NotificationKind;
  buyer: Buyer;
  order: Order;
  shipment: Shipment;
  /** Makes the dedupe key: one notification per cause, e.g. the tracking event's id. */
  causeId: string;
  /** For DELIVERED_SIGNED: who signed. */
  signerName?: string | null;
  now: Date;
}

/**
 * Buyers hear about a failed attempt by text when they gave a phone number (they may still
 * catch the driver); everything else goes by e-mail.
 */
function channelFor(kind: NotificationKind, buyer: Buyer): NotificationChannel {
  if (kind === NotificationKind.DELIVERY_ATTEMPT_SIGNATURE_UNAVAILABLE && buyer.phone) {
    return NotificationChannel.SMS;
  }
  return NotificationChannel.EMAIL;
}

function text(cause: NotificationCause): { subject: string; body: string } {
  const { order, shipment } = cause;
  const requirement = signatureRequirementText(shipment.signatureRequirement) ?? 'A signature';
  const tracking = `${shipment.carrier} ${shipment.trackingNumber}`;
  switch (cause.kind) {
    case NotificationKind.SIGNATURE_REQUIRED:
      return {
        subject: `Order ${order.number}: a signature will be needed on delivery`,
        body: `${requirement}: someone must sign for order ${order.number} when it arrives (${tracking}).`,
      };
    case NotificationKind.DELIVERY_ATTEMPT_SIGNATURE_UNAVAILABLE:
      return {
        subject: `Order ${order.number}: delivery attempted, nobody could sign`,
        body: `The carrier tried to deliver order ${order.number} but nobody was available to sign (${requirement}). The carrier will try again or hold it for pickup (${tracking}).`,
      };
    case NotificationKind.DELIVERED_SIGNED:
      return {
        subject: `Order ${order.number} was delivered and signed for`,
        body: `Order ${order.number} was delivered${cause.signerName ? ` and signed for by ${cause.signerName}` : ''} (${tracking}).`,
      };
    case NotificationKind.LABEL_VOIDED:
      return {
        subject: `Order ${order.number}: the signature notice no longer applies`,
        body: `The seller cancelled the shipping label for order ${order.number} (${tracking}), so our earlier notice that a signature will be needed on delivery no longer applies. You will hear from us again if the order ships with a new label.`,
      };
  }
}

export function draftNotification(cause: NotificationCause): NotificationDraft {
  return {
    buyerId: cause.buyer.id,
    orderId: cause.order.id,
    shipmentId: cause.shipment.id,
    kind: cause.kind,
    channel: channelFor(cause.kind, cause.buyer),
    dedupeKey: `${cause.kind}:${cause.causeId}`,
    ...text(cause),
    status: NotificationStatus.PENDING,
    attempts: 0,
    claimedBy: null,
    claimedUntil: null,
    sentAt: null,
    lastError: null,
    createdAt: cause.now,
  };
}
