import type { Buyer, Claim, Notification, Order, Shipment } from '../entities';
import {
  ClaimStatus,
  NotificationChannel,
  NotificationKind,
  NotificationStatus,
} from '../entities/enums';
import { formatMinor } from '../core/money';
import { signatureRequirementText } from '../core/signature-text';

/** The outbox row for a buyer notification, without its id; insert it in the cause's transaction. */
export type NotificationDraft = Omit<Notification, 'id'>;

/** The kinds about a shipment (every kind but claim notices, see draftClaimNotice). */
export type ShipmentNoticeKind = Exclude<NotificationKind, NotificationKind.CLAIM_UPDATED>;

export interface NotificationCause {
  kind: ShipmentNoticeKind;
  buyer: Buyer;
  order: Order;
  shipment: Shipment;
  /** Makes the dedupe key: one notification per cause, e.g. the tracking event's id. */
  causeId: string;
  /** For DELIVERED_SIGNED: who signed. */
  signerName?: string | null;
  /** For AVAILABLE_FOR_PICKUP: where the carrier holds the parcel, as it reported it. */
  location?: string | null;
  now: Date;
  /** The request (X-Request-Id) that caused it, kept on the outbox row for support. */
  requestId?: string | null;
}

/**
 * Buyers hear about a failed attempt by text when they gave a phone number (they may still
 * catch the driver); everything else goes by e-mail.
 */
function channelFor(kind: ShipmentNoticeKind, buyer: Buyer): NotificationChannel {
  if (kind === NotificationKind.DELIVERY_ATTEMPT_SIGNATURE_UNAVAILABLE && buyer.phone) {
    return NotificationChannel.SMS;
  }
  return NotificationChannel.EMAIL;
}

function text(cause: NotificationCause): { subject: string; body: string } {
  const { order, shipment } = cause;
  const signed = signatureRequirementText(shipment.signatureRequirement);
  const requirement = signed ?? 'A signature';
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
    case NotificationKind.AVAILABLE_FOR_PICKUP:
      return {
        subject: `Order ${order.number} is waiting for you to pick it up`,
        body: `The carrier is holding order ${order.number}${cause.location ? ` at ${cause.location}` : ''} for you to collect (${tracking}).${signed ? ` ${signed}: bring photo ID and sign for it at the counter.` : ''}`,
      };
    case NotificationKind.RETURNED_TO_SENDER:
      return {
        subject: `Order ${order.number} is being returned to the seller`,
        body: `The carrier is returning order ${order.number} to the seller (${tracking}). Contact the seller about a refund or a new shipment.`,
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
    requestId: cause.requestId ?? null,
  };
}

/** What a buyer is told about a move of their claim, by the status it moved to. */
const CLAIM_TEXT: Record<ClaimStatus, (order: string) => string> = {
  [ClaimStatus.AWAITING_SELLER]: (o) => `Your claim on order ${o} is waiting for the seller.`,
  [ClaimStatus.SELLER_RESPONDED]: (o) =>
    `The seller answered your claim on order ${o} with the carrier's delivery proof. Platform staff will decide.`,
  [ClaimStatus.REFUNDED]: (o) => `The seller refunded order ${o}.`,
  [ClaimStatus.RESHIPPED]: (o) => `The seller is sending order ${o} again.`,
  [ClaimStatus.RESOLVED_FOR_SELLER]: (o) =>
    `Platform staff decided your claim on order ${o} for the seller: the delivery proof stands.`,
  [ClaimStatus.RESOLVED_FOR_BUYER]: (o) =>
    `Platform staff decided your claim on order ${o} for you; you will be refunded.`,
};

/** The buyer's notice of a claim move (one per transition), for the outbox. */
export function draftClaimNotice(args: {
  claim: Claim;
  order: Order;
  transitionId: number;
  note: string | null;
  now: Date;
  requestId: string | null;
}): NotificationDraft {
  const { claim, order, now } = args;
  const refund =
    claim.refundMinor !== null
      ? ` Refund: ${claim.currency} ${formatMinor(claim.refundMinor)}.`
      : '';
  return {
    buyerId: claim.buyerId,
    orderId: claim.orderId,
    shipmentId: claim.shipmentId,
    kind: NotificationKind.CLAIM_UPDATED,
    channel: NotificationChannel.EMAIL,
    dedupeKey: `${NotificationKind.CLAIM_UPDATED}:transition:${args.transitionId}`,
    subject: `Order ${order.number}: your claim was updated`,
    body: `${CLAIM_TEXT[claim.status](order.number)}${refund}${args.note ? `\n\n${args.note}` : ''}`,
    status: NotificationStatus.PENDING,
    attempts: 0,
    claimedBy: null,
    claimedUntil: null,
    sentAt: null,
    lastError: null,
    createdAt: now,
    requestId: args.requestId,
  };
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe inside HTML elements and attribute values: names and locations are the carrier's. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** The e-mail of an outbox row: its text, and the same words as escaped HTML. */
export function renderEmail(n: Pick<Notification, 'subject' | 'body'>): RenderedEmail {
  const paragraphs = n.body
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return {
    subject: n.subject,
    text: `${n.body}\n\n— Countersign`,
    html: `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(n.subject)}</title></head>\n<body>\n${paragraphs}\n<p>— Countersign</p>\n</body></html>\n`,
  };
}
