import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { toGlobalId } from '../core/global-id';
import { WebhookDelivery, WebhookEndpoint } from '../entities';
import type { Label, Shipment, TrackingEvent } from '../entities';
import { WebhookDeliveryStatus, WebhookEndpointStatus } from '../entities/enums';

/** The events an endpoint may subscribe to. */
export const WEBHOOK_EVENTS = [
  'label.purchased',
  'label.voided',
  'shipment.updated',
  'proof.recorded',
  'claim.updated',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Header naming the event, the same on every retry and redelivery: receivers dedupe on it. */
export const EVENT_ID_HEADER = 'Countersign-Event-Id';

/** What `label.*` events carry. */
export const labelData = (label: Label): Record<string, unknown> => ({
  labelId: toGlobalId('Label', label.id),
  orderId: toGlobalId('Order', label.orderId),
  carrier: label.carrier,
  trackingNumber: label.trackingNumber,
  signatureOption: label.signatureOption,
  status: label.status,
  totalMinor: label.totalMinor,
  currency: label.currency,
});

/** What `shipment.updated` carries: the shipment as the carrier event leaves it. */
export const shipmentData = (shipment: Shipment, event: TrackingEvent) => ({
  sellerId: shipment.sellerId,
  data: {
    shipmentId: toGlobalId('Shipment', shipment.id),
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    status: shipment.status,
    eventStatus: event.status,
    reason: event.reason,
    description: event.description,
    occurredAt: event.occurredAt.toISOString(),
  },
});

/** The JSON body of a delivery. */
export interface WebhookBody {
  id: string;
  type: WebhookEvent;
  createdAt: string;
  data: Record<string, unknown>;
}

/**
 * Writes one delivery row per active endpoint subscribed to `event` (the seller's own and the
 * platform's) in the caller's transaction, so the webhook goes out if and only if the change
 * commits. The webhook worker sends them after commit.
 */
export async function enqueueWebhookEvent(
  m: EntityManager,
  args: {
    sellerId: number;
    event: WebhookEvent;
    data: Record<string, unknown>;
    now?: Date;
    /** The request (X-Request-Id) that caused the event, kept on each delivery row. */
    requestId?: string | null;
  },
): Promise<void> {
  const endpoints = await m
    .createQueryBuilder(WebhookEndpoint, 'e')
    .where('e.status = :status', { status: WebhookEndpointStatus.ACTIVE })
    .andWhere('(e.sellerId = :sellerId OR e.sellerId IS NULL)', { sellerId: args.sellerId })
    .getMany();
  const subscribed = endpoints.filter((e) => e.events.includes(args.event));
  if (subscribed.length === 0) return;
  const now = args.now ?? new Date();
  const eventId = randomUUID();
  const body: WebhookBody = {
    id: eventId,
    type: args.event,
    createdAt: now.toISOString(),
    data: { sellerId: args.sellerId, ...args.data },
  };
  const payload = JSON.stringify(body);
  await m.insert(
    WebhookDelivery,
    subscribed.map((e) => ({
      endpointId: e.id,
      event: args.event,
      eventId,
      payload,
      status: WebhookDeliveryStatus.PENDING,
      attempts: 0,
      nextAttemptAt: now,
      claimedBy: null,
      claimedUntil: null,
      deliveredAt: null,
      createdAt: now,
      requestId: args.requestId ?? null,
    })),
  );
}
