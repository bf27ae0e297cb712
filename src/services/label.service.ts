import type { CarrierLink } from '../carriers/gateway';
import { withCarrierTimeout } from '../carriers/timeout';
import type { Clock } from '../core/clock';
import type { RequestContext } from '../core/request-context';
import { isAdmin } from '../auth/viewer';
import { Charge, Label, Notification, Order, Shipment } from '../entities';
import {
  ChargeKind,
  LabelStatus,
  NotificationKind,
  NotificationStatus,
  OrderStatus,
  ShipmentStatus,
} from '../entities/enums';
import { UserErrorCode, decodeId, fail } from '../core/user-error';
import { ShipmentChange } from '../pubsub/event-bus';
import { recordShipmentEvent } from '../core/shipment-events';
import type { ServiceDeps } from './deps';
import { isUniqueViolation } from '../db/errors';
import { internalEventId } from './tracking/event-ids';
import { carrierHasScanned, noticeVoidToBuyer } from './label-void-checks';
import { requireSeller, requireViewer } from '../auth/guards';

export interface VoidLabelResult {
  label: Label;
  order: Order;
  shipment: Shipment;
}

/** Raised inside the transaction, it also rolls the transaction back. */
const notVoidable = (message: string): never =>
  fail(UserErrorCode.LABEL_NOT_VOIDABLE, message, ['input', 'labelId']);

const SCANNED = 'The carrier has already scanned the parcel; the label can no longer be voided.';

/**
 * Labels after purchase: who may read them and their charges, and voiding one before the
 * carrier's first scan, which refunds every charge and cancels the shipment.
 */
export class LabelService {
  constructor(
    private readonly deps: ServiceDeps,
    /** The carrier, and how long a void waits for it. */
    private readonly carrier: CarrierLink,
    private readonly clock: Clock,
  ) {}

  /** A label for node(id): its seller or platform staff. Buyers see the shipment instead. */
  async findVisible(ctx: RequestContext, id: number): Promise<Label | null> {
    const viewer = requireViewer(ctx);
    const label = await ctx.loaders.labelById.load(id);
    if (!label || !(isAdmin(viewer) || label.sellerId === viewer.sellerId)) return null;
    return label;
  }

  /** The order's live label, for its seller and platform staff; null for buyers. */
  async currentFor(ctx: RequestContext, order: Order): Promise<Label | null> {
    const viewer = requireViewer(ctx);
    if (!isAdmin(viewer) && viewer.sellerId !== order.sellerId) return null;
    return ctx.loaders.currentLabelByOrderId.load(order.id);
  }

  /** Charges and refunds of a label the viewer could already see, oldest first. */
  charges(ctx: RequestContext, label: Label): Promise<Charge[]> {
    requireViewer(ctx);
    return ctx.loaders.chargesByLabelId.load(label.id);
  }

  async void(ctx: RequestContext, input: { labelId: string }): Promise<VoidLabelResult> {
    const { sellerId } = requireSeller(ctx);
    const labelId = decodeId(input.labelId, 'Label', ['input', 'labelId']);
    const label = await this.deps.db.manager.findOne(Label, { where: { id: labelId, sellerId } });
    if (!label) fail(UserErrorCode.LABEL_NOT_FOUND, 'No such label', ['input', 'labelId']);
    if (label.status === LabelStatus.VOIDED) notVoidable('The label is already void.');
    try {
      return await this.deps.db.transaction(async (tx) => {
        const m = tx.manager;
        const now = this.clock();
        // Any carrier event refuses the void, even one stamped before the label (stale for status).
        if (await carrierHasScanned(m, labelId)) notVoidable(SCANNED);
        // Guarded on the status, so a carrier scan recorded meanwhile wins over the void.
        const cancelled = await m.update(
          Shipment,
          { labelId, status: ShipmentStatus.LABEL_CREATED },
          { status: ShipmentStatus.CANCELLED, statusReason: null, statusAt: now, updatedAt: now },
        );
        if (!cancelled.affected) notVoidable(SCANNED);
        const voided = await m.update(
          Label,
          { id: labelId, status: LabelStatus.PURCHASED },
          { status: LabelStatus.VOIDED, voidedAt: now },
        );
        if (!voided.affected) notVoidable('The label is already void.');

        const charges = await m.find(Charge, { where: { labelId }, order: { id: 'ASC' } });
        const refunds = charges
          .filter((c) => c.kind !== ChargeKind.REFUND)
          .map((c) =>
            m.create(Charge, {
              sellerId,
              labelId,
              kind: ChargeKind.REFUND,
              description: `Refund (label voided): ${c.description}`,
              amountMinor: -c.amountMinor,
              currency: c.currency,
              createdAt: now,
            }),
          );
        if (refunds.length > 0) await m.insert(Charge, refunds);
        const shipment = await m.findOneByOrFail(Shipment, { labelId });
        await recordShipmentEvent(
          tx,
          this.deps.events,
          shipment,
          {
            carrierEventId: internalEventId('void', labelId),
            status: ShipmentStatus.CANCELLED,
            reason: null,
            description:
              'Label voided by the seller before the carrier scanned it; charges refunded.',
            location: null,
            occurredAt: now,
            receivedAt: now,
          },
          {
            changes: [ShipmentChange.STATUS, ShipmentChange.EVENT_ADDED, ShipmentChange.CANCELLED],
            previousStatus: ShipmentStatus.LABEL_CREATED,
          },
        );
        await m.update(
          Order,
          { id: label.orderId, status: OrderStatus.LABEL_PURCHASED },
          { status: OrderStatus.AWAITING_SHIPMENT, updatedAt: now },
        );
        // The buyer is not told about a signature for a parcel that will not come. Clearing the
        // claim also stops a worker mid-send from settling the row (its lease no longer matches).
        await m.update(
          Notification,
          {
            shipmentId: shipment.id,
            kind: NotificationKind.SIGNATURE_REQUIRED,
            status: NotificationStatus.PENDING,
          },
          { status: NotificationStatus.CANCELLED, claimedBy: null, claimedUntil: null },
        );
        const [order, fresh] = await Promise.all([
          m.findOneByOrFail(Order, { id: label.orderId }),
          m.findOneByOrFail(Label, { id: labelId }),
        ]);
        await noticeVoidToBuyer(m, { order, shipment, labelId, now });
        // The carrier last: a failed write before it rolls back with the label still live at
        // the carrier, and a failed void rolls back every row written above.
        await withCarrierTimeout(
          this.carrier.gateway.void({
            carrier: label.carrier,
            trackingNumber: label.trackingNumber,
          }),
          'void',
          this.carrier.timeoutMs,
        ).catch((error: unknown) => {
          this.deps.logger.warn('carrier void failed', {
            labelId,
            trackingNumber: label.trackingNumber,
            error: String(error),
          });
          // Rolls back every row written above.
          fail(
            UserErrorCode.CARRIER_UNAVAILABLE,
            'The carrier did not confirm the void; the label is still active and nothing was refunded. Retry shortly.',
            ['input', 'labelId'],
          );
        });
        return { label: fresh, order, shipment };
      });
    } catch (error) {
      // Every write above is keyed on this label, so a unique key only clashes with a row that
      // is not ours (as a carrier event once could); the seller gets a code, never a 500.
      if (!isUniqueViolation(error)) throw error;
      this.deps.logger.error('label void hit a unique key', { labelId, error: String(error) });
      return fail(
        UserErrorCode.WRITE_CONFLICT,
        'The void conflicted with another write and was rolled back; the label is still active and nothing was refunded. Retry shortly.',
        ['input', 'labelId'],
      );
    }
  }
}
