import type { EntityManager } from 'typeorm';
import { enqueueWebhookEvent, shipmentData } from '../../webhooks/outgoing';
import { canSee } from '../../auth/viewer';
import type { RequestContext } from '../../core/request-context';
import { isUniqueViolation } from '../../db/errors';
import { Buyer, Notification, Order, Shipment, TrackingEvent } from '../../entities';
import { Carrier, NotificationKind, ShipmentStatus } from '../../entities/enums';
import { draftNotification } from '../../notifications/compose';
import type { ShipmentNoticeKind } from '../../notifications/compose';
import { ShipmentChange } from '../../pubsub/event-bus';
import { recordShipmentEvent } from '../../core/shipment-events';
import type { ChangeDetails } from '../../core/shipment-events';
import type { Tx } from '../../db/database';
import type { DeliveryProofService } from '../delivery-proof.service';
import type { ServiceDeps } from '../deps';
import { requireViewer } from '../../auth/guards';
import type { CapturedSignature } from './proof-checks';
import { decide, defaultDescription, orderStatusFor } from './status-machine';

/** A carrier tracking event, validated (see src/webhooks/carrier-event.ts). */
export interface CarrierEventInput {
  eventId: string;
  trackingNumber: string;
  status: ShipmentStatus;
  reason: string | null;
  description: string | null;
  location: string | null;
  occurredAt: Date;
  estimatedDeliveryAt: Date | null;
  signature: CapturedSignature | null;
}

export type CarrierEventOutcome =
  /** Stored, and it moved the shipment (or updated its estimate). */
  | { outcome: 'APPLIED'; shipmentId: number; status: ShipmentStatus }
  /** Stored in history only: stale, after a terminal status, or an impossible move. */
  | { outcome: 'RECORDED'; shipmentId: number; status: ShipmentStatus }
  | { outcome: 'DUPLICATE' }
  | { outcome: 'UNKNOWN_TRACKING_NUMBER' };

const SIGNATURE_UNAVAILABLE = 'SIGNATURE_UNAVAILABLE';

/** Statuses the buyer hears about as such, when the shipment moves into them. */
const NOTICE_OF_STATUS: Partial<Record<ShipmentStatus, ShipmentNoticeKind>> = {
  [ShipmentStatus.AVAILABLE_FOR_PICKUP]: NotificationKind.AVAILABLE_FOR_PICKUP,
  [ShipmentStatus.RETURN_TO_SENDER]: NotificationKind.RETURNED_TO_SENDER,
};

/**
 * The (carrier, carrierEventId) constraint of tracking_events, the only unique one of that table
 * besides its key: PostgreSQL names the table, sqlite3 the columns in its message.
 */
function isDuplicateCarrierEvent(error: unknown): boolean {
  if (!isUniqueViolation(error)) return false;
  const driver = ((error as { driverError?: unknown }).driverError ?? error) as {
    table?: unknown;
    message?: unknown;
  };
  if (driver.table === 'tracking_events') return true;
  return typeof driver.message === 'string' && driver.message.includes('tracking_events.');
}

/** Shipments and their tracking: reads for buyers and sellers, carrier events from webhooks. */
export class TrackingService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly proofs: DeliveryProofService,
  ) {}

  /** The shipment if the viewer is its buyer, its seller or an admin; otherwise null. */
  async findByTrackingNumber(
    ctx: RequestContext,
    trackingNumber: string,
  ): Promise<Shipment | null> {
    const viewer = requireViewer(ctx);
    if (trackingNumber.length > 40) return null;
    const shipment = await this.deps.db.manager.findOne(Shipment, { where: { trackingNumber } });
    return shipment && canSee(viewer, shipment) ? shipment : null;
  }

  async findVisible(ctx: RequestContext, id: number): Promise<Shipment | null> {
    const viewer = requireViewer(ctx);
    const shipment = await ctx.loaders.shipmentById.load(id);
    return shipment && canSee(viewer, shipment) ? shipment : null;
  }

  /** For `node(id)`: an event of a shipment the viewer may see. */
  async findVisibleEvent(ctx: RequestContext, id: number): Promise<TrackingEvent | null> {
    const event = await this.deps.db.manager.findOne(TrackingEvent, { where: { id } });
    return event && (await this.findVisible(ctx, event.shipmentId)) ? event : null;
  }

  /**
   * Applies one carrier event in one transaction: the event row (deduplicated by carrier event
   * id), the shipment's status by the status machine, the order's status, the delivery proof and
   * the buyer's notifications. Subscribers hear about it after the commit. The carrier, not a
   * viewer, is the caller (its signature was checked), so there is no request context.
   */
  async applyCarrierEvent(
    carrier: Carrier,
    input: CarrierEventInput,
  ): Promise<CarrierEventOutcome> {
    try {
      return await this.deps.db.transaction(async (tx) => {
        const m = tx.manager;
        const shipment = await this.lockShipment(m, carrier, input.trackingNumber);
        if (!shipment) return { outcome: 'UNKNOWN_TRACKING_NUMBER' as const };
        const seen = await m.exists(TrackingEvent, {
          where: { carrier, carrierEventId: input.eventId },
        });
        if (seen) return { outcome: 'DUPLICATE' as const };
        return this.record(tx, shipment, input);
      });
    } catch (error) {
      // Two deliveries of one event raced past the check: the unique constraint kept one. Any
      // other conflict (a notification or proof) is a failure the carrier must retry.
      if (isDuplicateCarrierEvent(error)) return { outcome: 'DUPLICATE' };
      throw error;
    }
  }

  /** On PostgreSQL, concurrent events of one shipment queue on its row; SQLite has one writer. */
  private lockShipment(m: EntityManager, carrier: Carrier, trackingNumber: string) {
    return m.findOne(Shipment, {
      where: { carrier, trackingNumber },
      ...(this.deps.db.kind === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  private async record(
    tx: Tx,
    shipment: Shipment,
    input: CarrierEventInput,
  ): Promise<CarrierEventOutcome> {
    const m = tx.manager;
    const now = new Date();
    const previousStatus = shipment.status;
    const changes = [ShipmentChange.EVENT_ADDED];
    // Published at commit with the shipment as this method leaves it (see recordShipmentEvent).
    const details: ChangeDetails = { changes, previousStatus };
    const event = await recordShipmentEvent(
      tx,
      this.deps.events,
      shipment,
      {
        carrierEventId: input.eventId,
        status: input.status,
        reason: input.reason,
        description: input.description ?? defaultDescription(input.status, input.reason),
        location: input.location,
        occurredAt: input.occurredAt,
        receivedAt: now,
      },
      details,
    );
    const decision = decide(shipment, event);
    if (decision.apply) {
      shipment.status = event.status;
      shipment.statusReason = event.reason;
      shipment.statusAt = event.occurredAt;
      if (previousStatus !== event.status) changes.push(ShipmentChange.STATUS);
    }
    const eta = input.estimatedDeliveryAt;
    if (decision.apply && eta && eta.getTime() !== shipment.estimatedDeliveryAt?.getTime()) {
      shipment.estimatedDeliveryAt = eta;
      changes.push(ShipmentChange.ESTIMATED_DELIVERY);
    }
    shipment.updatedAt = now;
    await m.save(shipment);

    if (decision.apply) {
      const order = await m.findOneOrFail(Order, { where: { id: shipment.orderId } });
      const next = orderStatusFor(shipment.status, order.status);
      if (next) await m.update(Order, { id: order.id }, { status: next, updatedAt: now });

      const notify = async (kind: ShipmentNoticeKind, causeId: string, signerName?: string) => {
        const buyer = await m.findOneOrFail(Buyer, { where: { id: shipment.buyerId } });
        const { location } = event;
        const cause = { kind, buyer, order, shipment, causeId, signerName, location, now };
        await m.insert(Notification, draftNotification(cause));
      };
      const told = NOTICE_OF_STATUS[event.status];
      // On moving into the status (a repeated pickup scan does not tell the buyer again); the
      // event's id as the cause keeps it to one notice however often the event is delivered.
      if (told && previousStatus !== event.status) await notify(told, `event:${event.id}`);
      if (
        event.status === ShipmentStatus.DELIVERY_ATTEMPTED &&
        event.reason === SIGNATURE_UNAVAILABLE
      ) {
        await notify(NotificationKind.DELIVERY_ATTEMPT_SIGNATURE_UNAVAILABLE, `event:${event.id}`);
      }
      if (event.status === ShipmentStatus.DELIVERED) {
        const proof = await this.proofs.recordDelivery(m, {
          shipment,
          order,
          signature: input.signature,
          now,
        });
        if (proof) {
          changes.push(ShipmentChange.DELIVERY_PROOF);
          details.signatureMissing = proof.signatureMissing;
          details.proofFlagged = proof.flagged;
        }
        if (input.signature) {
          await notify(
            NotificationKind.DELIVERED_SIGNED,
            `shipment:${shipment.id}`,
            input.signature.signerName,
          );
        }
      }
    }

    await enqueueWebhookEvent(m, {
      ...shipmentData(shipment, event),
      event: 'shipment.updated',
      now,
    });
    return {
      outcome: decision.apply ? 'APPLIED' : 'RECORDED',
      shipmentId: shipment.id,
      status: shipment.status,
    };
  }
}
