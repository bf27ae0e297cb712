import type { CarrierLink } from '../carriers/gateway';
import { enqueueWebhookEvent, labelData } from '../webhooks/outgoing';
import { CarrierTimeoutError, withCarrierTimeout } from '../carriers/timeout';
import type { Clock } from '../core/clock';
import type { RequestContext } from '../core/request-context';
import { isAdmin } from '../auth/viewer';
import { CarrierOperation, Charge, Label, Notification, Order, Shipment } from '../entities';
import {
  CarrierOperationKind,
  CarrierOperationStatus,
  ChargeKind,
  LabelStatus,
  NotificationKind,
  NotificationStatus,
  OrderStatus,
  ShipmentStatus,
} from '../entities/enums';
import { UserErrorCode, UserInputError, decodeId, fail } from '../core/user-error';
import { ShipmentChange } from '../pubsub/event-bus';
import { recordShipmentEvent } from '../core/shipment-events';
import type { ServiceDeps } from './deps';
import { isUniqueViolation } from '../db/errors';
import { internalEventId } from './tracking/event-ids';
import { carrierHasScanned, noticeVoidToBuyer } from './label-void-checks';
import { requireSeller, requireViewer } from '../auth/guards';
import {
  OperationLeaseLost,
  errorText,
  moveOperation,
  moveOperationNow,
  newLease,
  operationLeaseMs,
  retryAt,
} from './carrier-operations';

const { PENDING } = CarrierOperationStatus;

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
  currentFor(ctx: RequestContext, order: Order): Label | null | Promise<Label | null> {
    const viewer = requireViewer(ctx);
    if (!isAdmin(viewer) && viewer.sellerId !== order.sellerId) return null;
    return ctx.loaders.currentLabelByOrderId.loadNow(order.id);
  }

  /** Charges and refunds of a label the viewer could already see, oldest first. */
  charges(ctx: RequestContext, label: Label): Promise<Charge[]> {
    requireViewer(ctx);
    return ctx.loaders.chargesByLabelId.load(label.id);
  }

  /**
   * Voids a label before the carrier's first scan, in three steps: a short transaction records
   * the void as a PENDING carrier operation (committed, so a void the carrier confirms is never
   * lost); the carrier voids the label OUTSIDE any transaction; one transaction then refunds the
   * charges, cancels the shipment and the buyer's signature notice and puts the order back. A
   * carrier refusal leaves everything as it was; a carrier that does not answer, or a commit that
   * fails after the carrier confirmed, leaves the void PENDING for a retry or the reconciler
   * (a carrier void is idempotent).
   */
  async void(ctx: RequestContext, input: { labelId: string }): Promise<VoidLabelResult> {
    const { sellerId } = requireSeller(ctx);
    const labelId = decodeId(input.labelId, 'Label', ['input', 'labelId']);
    const label = await this.deps.db.manager.findOne(Label, { where: { id: labelId, sellerId } });
    if (!label) fail(UserErrorCode.LABEL_NOT_FOUND, 'No such label', ['input', 'labelId']);
    if (label.status === LabelStatus.VOIDED) notVoidable('The label is already void.');
    const lease = newLease();
    const op = await this.recordVoid(label, lease);
    try {
      await withCarrierTimeout(
        this.carrier.gateway.void({ carrier: label.carrier, trackingNumber: label.trackingNumber }),
        'void',
        this.carrier.timeoutMs,
      );
    } catch (error) {
      this.deps.logger.warn('carrier void failed', {
        labelId,
        trackingNumber: label.trackingNumber,
        requestId: ctx.requestId,
        error: String(error),
      });
      const unanswered = error instanceof CarrierTimeoutError;
      // Refused: nothing happened. Unanswered: the carrier may have voided it, so the void stays
      // recorded and is released to a retry or the reconciler.
      await moveOperationNow(this.deps.db, op.id, lease, [PENDING], {
        ...(unanswered ? {} : { status: CarrierOperationStatus.FAILED }),
        attempts: op.attempts + 1,
        lastError: errorText(error),
        claimedBy: null,
        claimedUntil: null,
        updatedAt: this.clock(),
      });
      fail(
        UserErrorCode.CARRIER_UNAVAILABLE,
        unanswered
          ? 'The carrier did not answer the void in time; the label is still active and nothing was refunded. Retry shortly.'
          : 'The carrier did not confirm the void; the label is still active and nothing was refunded. Retry shortly.',
        ['input', 'labelId'],
      );
    }
    try {
      return await this.commitVoid(op, lease, ctx.requestId);
    } catch (error) {
      if (error instanceof OperationLeaseLost) {
        // Another request (or the reconciler) carried this void on meanwhile: its outcome.
        const fresh = await this.deps.db.manager.findOneByOrFail(Label, { id: labelId });
        if (fresh.status === LabelStatus.VOIDED) return this.voidResult(fresh);
        fail(
          UserErrorCode.CARRIER_UNAVAILABLE,
          'Another void of this label is waiting for the carrier; retry shortly.',
          ['input', 'labelId'],
        );
      }
      // The carrier voided the label: the void stays PENDING, released to a retry or the
      // reconciler; a label that can no longer be voided here ends it.
      await moveOperationNow(this.deps.db, op.id, lease, [PENDING], {
        ...(error instanceof UserInputError ? { status: CarrierOperationStatus.FAILED } : {}),
        lastError: errorText(error),
        claimedBy: null,
        claimedUntil: null,
        updatedAt: this.clock(),
      });
      if (!isUniqueViolation(error)) throw error;
      // Every write of the void is keyed on this label, so a unique key only clashes with a row
      // that is not ours (as a carrier event once could); the seller gets a code, never a 500.
      this.deps.logger.error('label void hit a unique key', {
        labelId,
        error: String(error),
        requestId: ctx.requestId,
      });
      return fail(
        UserErrorCode.WRITE_CONFLICT,
        'The void conflicted with another write and was rolled back; the label is still active and nothing was refunded. Retry shortly.',
        ['input', 'labelId'],
      );
    }
  }

  /**
   * The void's first transaction: checks the label can be voided and records the PENDING void
   * under `lease`, or carries on a void of the label already recorded (one whose carrier did not
   * answer, or whose commit failed).
   */
  private recordVoid(label: Label, lease: string): Promise<CarrierOperation> {
    return this.deps.db.transaction(async ({ manager: m }) => {
      const now = this.clock();
      const until = new Date(now.getTime() + operationLeaseMs(this.carrier.timeoutMs));
      const fresh = await m.findOneByOrFail(Label, { id: label.id });
      if (fresh.status === LabelStatus.VOIDED) notVoidable('The label is already void.');
      const shipment = await m.findOneBy(Shipment, { labelId: label.id });
      // Any carrier event refuses the void, even one stamped before the label (stale for status).
      if (shipment?.status !== ShipmentStatus.LABEL_CREATED) notVoidable(SCANNED);
      if (await carrierHasScanned(m, label.id)) notVoidable(SCANNED);
      const recorded = await m.findOneBy(CarrierOperation, {
        kind: CarrierOperationKind.VOID,
        labelId: label.id,
        status: PENDING,
      });
      if (recorded) {
        await m.update(
          CarrierOperation,
          { id: recorded.id, status: PENDING },
          { claimedBy: lease, claimedUntil: until, updatedAt: now },
        );
        return Object.assign(recorded, { claimedBy: lease, claimedUntil: until });
      }
      const op = m.create(CarrierOperation, {
        kind: CarrierOperationKind.VOID,
        status: PENDING,
        sellerId: label.sellerId,
        idempotencyKey: null,
        reference: null,
        quoteId: null,
        rateId: null,
        signatureOption: null,
        carrier: label.carrier,
        trackingNumber: label.trackingNumber,
        labelId: label.id,
        attempts: 0,
        lastError: null,
        claimedBy: lease,
        claimedUntil: until,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(CarrierOperation, op);
      return op;
    });
  }

  /**
   * Finishes a PENDING void nobody else holds, under `lease` (the reconciler): voids at the
   * carrier again (idempotent) and commits; a failure is left for the next round.
   */
  async resolveVoid(op: CarrierOperation, lease: string): Promise<void> {
    try {
      await withCarrierTimeout(
        this.carrier.gateway.void({ carrier: op.carrier, trackingNumber: op.trackingNumber! }),
        'void',
        this.carrier.timeoutMs,
      );
      await this.commitVoid(op, lease);
      this.deps.logger.info('reconciled a void', { operationId: op.id, labelId: op.labelId });
    } catch (error) {
      if (error instanceof OperationLeaseLost) return;
      const attempts = op.attempts + 1;
      await moveOperationNow(this.deps.db, op.id, lease, [PENDING], {
        ...(error instanceof UserInputError ? { status: CarrierOperationStatus.FAILED } : {}),
        attempts,
        lastError: errorText(error),
        claimedBy: null,
        claimedUntil: retryAt(this.clock(), attempts),
        updatedAt: this.clock(),
      });
    }
  }

  private async voidResult(label: Label): Promise<VoidLabelResult> {
    const m = this.deps.db.manager;
    const [order, shipment] = await Promise.all([
      m.findOneByOrFail(Order, { id: label.orderId }),
      m.findOneByOrFail(Shipment, { labelId: label.id }),
    ]);
    return { label, order, shipment };
  }

  /** The void's one write transaction, after the carrier confirmed; guarded on the lease. */
  /** `requestId`: the request that asked (the reconciler's commits have none). */
  private commitVoid(
    op: CarrierOperation,
    lease: string,
    requestId: string | null = null,
  ): Promise<VoidLabelResult> {
    const labelId = op.labelId!;
    const sellerId = op.sellerId;
    return this.deps.db.transaction(async (tx) => {
      const m = tx.manager;
      const now = this.clock();
      const held = await moveOperation(m, op.id, lease, [PENDING], {
        status: CarrierOperationStatus.COMPLETED,
        claimedBy: null,
        claimedUntil: null,
        updatedAt: now,
      });
      if (!held) throw new OperationLeaseLost(op.id);
      const label = await m.findOneByOrFail(Label, { id: labelId });
      const before = await m.findOneByOrFail(Shipment, { labelId });
      if (before.status === ShipmentStatus.CANCELLED) notVoidable('The label is already void.');
      if (before.status !== ShipmentStatus.LABEL_CREATED) {
        // A scan was recorded while the carrier was voiding the label (the first transaction
        // checked there was none). The carrier confirmed the void, so its answer stands: the label
        // is voided and refunded all the same, as the carrier will not carry it.
        this.deps.logger.warn('label voided at the carrier after a scan was recorded', {
          labelId,
          status: before.status,
          requestId,
        });
      }
      // Guarded on the status read, so a scan committed in between fails (and retries) the commit.
      const cancelled = await m.update(
        Shipment,
        { id: before.id, status: before.status },
        { status: ShipmentStatus.CANCELLED, statusReason: null, statusAt: now, updatedAt: now },
      );
      if (!cancelled.affected) throw new Error(`shipment ${before.id} changed during the void`);
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
          previousStatus: before.status,
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
      await noticeVoidToBuyer(m, { order, shipment, labelId, now, requestId });
      await enqueueWebhookEvent(m, {
        sellerId,
        event: 'label.voided',
        data: labelData(fresh),
        now,
        requestId,
      });
      return { label: fresh, order, shipment };
    });
  }
}
