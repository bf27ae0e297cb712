import { IsNull } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { money } from '../core/money';
import type { CarrierLink } from '../carriers/gateway';
import { CarrierTimeoutError, withCarrierTimeout } from '../carriers/timeout';
import type { Clock } from '../core/clock';
import type { RequestContext } from '../core/request-context';
import { isUniqueViolation } from '../db/errors';
import type { Tx } from '../db/database';
import {
  Address,
  Buyer,
  CarrierOperation,
  CarrierService,
  IdempotencyRecord,
  LabelQuote,
  Label,
  LineItem,
  Order,
  Seller,
  Shipment,
} from '../entities';
import { CarrierOperationKind, CarrierOperationStatus, SignatureOption } from '../entities/enums';
import {
  OperationLeaseLost,
  UNRESOLVED,
  errorText,
  isFree,
  moveOperation,
  moveOperationNow,
  newLease,
  operationLeaseMs,
  retryAt,
  takeOverOperation,
} from './carrier-operations';
import { formatMinor } from '../core/money';
import { UserErrorCode, UserInputError, decodeId, fail } from '../core/user-error';
import type { ServiceDeps } from './deps';
import {
  findIdempotencyRecord,
  isValidIdempotencyKey,
  purchaseRequestHash,
  settledIdempotencyRecord,
} from './label-idempotency';
import { rateEligibility, requireEligible, unshippableReason } from './label-rules';
import {
  CarrierPurchaseFailed,
  buyCarrierLabel,
  optionName,
  writePurchase,
} from './label-purchase-writes';
import type {
  PurchaseLabelError,
  PurchaseLabelResult,
  PurchasePlan,
} from './label-purchase-writes';
import { requireSeller } from '../auth/guards';
import type { SignatureTermsService } from './signature-terms.service';

export type { PurchaseLabelError, PurchaseLabelResult } from './label-purchase-writes';

export interface PurchaseLabelInput {
  quoteId: string;
  rateId: string;
  signatureOption: SignatureOption;
  idempotencyKey: string;
}

/**
 * Purchases re-run with a new carrier reference when the carrier's tracking number is already on
 * a label. The sandbox derives numbers from the reference (a reference always gets the same
 * label back, as a carrier that dedupes by reference does), and a UPS number has only 7 digits per
 * seller and service, so numbers can repeat; one retry almost always suffices.
 */
const TRACKING_NUMBER_RETRIES = 3;

const { PENDING, VOIDING } = CarrierOperationStatus;

/** Releases the key an operation claimed (unless its label settled it). */
const releaseKey = (m: EntityManager, operationId: number) =>
  m.delete(IdempotencyRecord, { operationId, labelId: IsNull() });

/** A unique violation on a tracking number (labels or shipments), not on the idempotency key. */
function isTrackingNumberTaken(error: unknown): boolean {
  if (!isUniqueViolation(error)) return false;
  const e = error as { message?: unknown; detail?: unknown; driverError?: { detail?: unknown } };
  // SQLite names the column in the message; PostgreSQL in the detail ('Key ("trackingNumber")=…').
  return [e.message, e.detail, e.driverError?.detail].some(
    (text) => typeof text === 'string' && text.includes('trackingNumber'),
  );
}

/**
 * Buys a label from a quote. Everything is validated first. Then one short transaction claims the
 * idempotency key and records the purchase as a PENDING carrier operation (committed, so a crash
 * from here on leaves a record the CarrierReconciler resolves). Then the carrier sells the label
 * OUTSIDE any transaction (a transaction holds SQLite's single write lock, or a PostgreSQL
 * connection and the order's row lock, and the carrier may take seconds), under a reference of
 * this operation's own. Then one transaction writes the label, the order's status, the shipment
 * with its first event, the charges, the seller's decision and the buyer's notification
 * (label-purchase-writes.ts), settles the key and completes the operation. If that transaction
 * does not commit, the label goes back to the carrier and the key is released. A concurrent
 * request with the same key waits for the claim to settle and replays it, so it never buys (or
 * gives back) a label of its own; a request that fails validation or that the carrier refuses does
 * not use the key up.
 */
export class LabelPurchaseService {
  constructor(
    private readonly deps: ServiceDeps,
    /** The carrier, and how long a purchase or a give-back void waits for it. */
    private readonly carrier: CarrierLink,
    private readonly terms: SignatureTermsService,
    private readonly clock: Clock,
  ) {}

  /** How long a request (or the reconciler) holds a purchase it works on. */
  private get leaseMs(): number {
    return operationLeaseMs(this.carrier.timeoutMs);
  }

  async purchase(ctx: RequestContext, input: PurchaseLabelInput): Promise<PurchaseLabelResult> {
    const { sellerId } = requireSeller(ctx);
    if (!isValidIdempotencyKey(input.idempotencyKey)) {
      fail(UserErrorCode.INVALID_INPUT, 'idempotencyKey must be 1 to 255 printable characters', [
        'input',
        'idempotencyKey',
      ]);
    }
    const requestHash = purchaseRequestHash(input);
    let plan: PurchasePlan | null = null;
    for (;;) {
      const prior = await this.keyOutcome(sellerId, input.idempotencyKey, requestHash);
      if (prior) return this.replay(prior, requestHash);
      if (!plan) {
        try {
          plan = {
            ...(await this.validate(sellerId, input, requestHash)),
            requestId: ctx.requestId,
          };
        } catch (error) {
          // A duplicate may have committed between the key check and validation (the order then
          // reads as labeled): answer as it did.
          if (!(error instanceof UserInputError)) throw error;
          const late = await settledIdempotencyRecord(this.deps.db, sellerId, input.idempotencyKey);
          if (late && (late.labelId !== null || late.requestHash !== requestHash)) {
            return this.replay(late, requestHash);
          }
          throw error;
        }
      }
      const claim = await this.claim(plan);
      // Another request claimed the key first: wait for its outcome above.
      if (!claim) continue;
      const result = await this.buyAndWrite(plan, claim.op, claim.lease);
      // The reconciler took the purchase over (this request outlived its lease): its outcome.
      if (result) return result;
    }
  }

  /**
   * The key's committed outcome: null when unclaimed, else its record (a replay answers it). A key
   * claimed by a purchase still running is waited for, up to a lease; one left by a dead process
   * is resolved here and now.
   */
  private async keyOutcome(
    sellerId: number,
    key: string,
    requestHash: string,
  ): Promise<IdempotencyRecord | null> {
    const deadline = Date.now() + this.leaseMs;
    let record = await settledIdempotencyRecord(this.deps.db, sellerId, key);
    for (;;) {
      if (!record || record.labelId !== null || record.requestHash !== requestHash) return record;
      if (record.operationId !== null) await this.resolveIfAbandoned(record.operationId);
      if (Date.now() >= deadline) {
        fail(
          UserErrorCode.IDEMPOTENCY_REQUEST_IN_PROGRESS,
          'A purchase with this key is still running; retry shortly.',
          ['input', 'idempotencyKey'],
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
      // A plain read while waiting: no write transaction (on SQLite, the one write lock) per poll.
      record = await findIdempotencyRecord(this.deps.db.manager, sellerId, key);
    }
  }

  /** Resolves the purchase operation now when nobody holds it any more (its process died). */
  private async resolveIfAbandoned(operationId: number): Promise<void> {
    const now = this.clock();
    const op = await this.deps.db.manager.findOneBy(CarrierOperation, { id: operationId });
    if (!op || !isFree(this.deps.db, op, now)) return;
    const lease = newLease();
    const until = new Date(now.getTime() + this.leaseMs);
    const taken = await takeOverOperation(this.deps.db, operationId, lease, now, until);
    if (taken) await this.resolve(taken, lease);
  }

  /**
   * Claims the key for a new PENDING purchase operation, both committed before the carrier is
   * called; null when the key is already claimed (or settled).
   */
  private async claim(plan: PurchasePlan): Promise<{ op: CarrierOperation; lease: string } | null> {
    const lease = newLease();
    try {
      return await this.deps.db.transaction(async ({ manager: m }) => {
        const { sellerId, idempotencyKey } = plan;
        if (await findIdempotencyRecord(m, sellerId, idempotencyKey)) return null;
        const now = this.clock();
        // The first purchase of a key uses the plain reference (a carrier that dedupes by it
        // answers a duplicate with the same label); one after a failed purchase a new one, so it
        // never gets back a label that went back to the carrier.
        const earlier = await m.count(CarrierOperation, {
          where: { kind: CarrierOperationKind.PURCHASE, sellerId, idempotencyKey },
        });
        const base = `${sellerId}:${idempotencyKey}`;
        const op = m.create(CarrierOperation, {
          kind: CarrierOperationKind.PURCHASE,
          status: CarrierOperationStatus.PENDING,
          sellerId,
          idempotencyKey,
          reference: earlier === 0 ? base : `${base}~${earlier}`,
          quoteId: plan.quote.id,
          rateId: plan.rate.rateId,
          signatureOption: plan.option.option,
          carrier: plan.service.carrier,
          trackingNumber: null,
          labelId: null,
          attempts: 0,
          lastError: null,
          claimedBy: lease,
          claimedUntil: new Date(now.getTime() + this.leaseMs),
          createdAt: now,
          updatedAt: now,
        });
        await m.insert(CarrierOperation, op);
        await m.insert(IdempotencyRecord, {
          sellerId,
          key: idempotencyKey,
          requestHash: plan.requestHash,
          labelId: null,
          operationId: op.id,
          createdAt: now,
        });
        return { op, lease };
      });
    } catch (error) {
      // PostgreSQL: a concurrent request with the key claimed it first.
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /**
   * Buys the claimed operation's label and commits it; null when the lease was lost to the
   * reconciler (which then resolves the purchase).
   */
  private async buyAndWrite(
    plan: PurchasePlan,
    op: CarrierOperation,
    lease: string,
  ): Promise<PurchaseLabelResult | null> {
    const base = op.reference!;
    for (let attempt = 0; ; attempt += 1) {
      const reference = attempt === 0 ? base : `${base}#${attempt}`;
      if (attempt > 0) {
        // Recorded before the carrier is asked, so a reconciler asks under the same reference.
        const moved = await moveOperationNow(this.deps.db, op.id, lease, [PENDING], {
          reference,
          updatedAt: this.clock(),
        });
        if (!moved) return null;
        op.reference = reference;
      }
      let trackingNumber: string;
      try {
        // Outside any transaction: no network call under the write lock (see buyCarrierLabel).
        trackingNumber = await buyCarrierLabel(
          this.carrier.gateway,
          plan,
          reference,
          this.carrier.timeoutMs,
        );
      } catch (error) {
        if (!(error instanceof CarrierPurchaseFailed)) throw error;
        this.deps.logger.warn('carrier purchase failed', {
          error: String(error.reason),
          requestId: plan.requestId,
        });
        if (error.reason instanceof CarrierTimeoutError) {
          // The carrier may have sold the label without answering: the reconciler asks again
          // under the same reference and gives it back.
          await this.giveBack(op, lease, null, plan.requestId);
        } else {
          await this.settleWithoutLabel(op, lease, errorText(error.reason));
        }
        fail(
          UserErrorCode.CARRIER_UNAVAILABLE,
          'The carrier did not sell the label (it failed or did not answer in time); nothing ' +
            'was bought or charged. Retry with the same idempotencyKey.',
        );
      }
      try {
        return await this.commit(plan, op.id, lease, trackingNumber);
      } catch (error) {
        if (error instanceof OperationLeaseLost) return null;
        if (isTrackingNumberTaken(error)) {
          // Not given back: the number is another label's, and a void would cancel that one.
          this.deps.logger.warn('carrier tracking number already on a label', {
            trackingNumber,
            attempt,
            requestId: plan.requestId,
          });
          if (attempt < TRACKING_NUMBER_RETRIES) continue;
          await this.settleWithoutLabel(op, lease, errorText(error));
          throw error;
        }
        await this.giveBack(op, lease, trackingNumber, plan.requestId);
        if (error instanceof UserInputError) throw error;
        if (isUniqueViolation(error)) {
          // A clash with a row that is not this purchase's: rolled back, the carrier label given
          // back above; the seller gets a code, never a 500.
          this.deps.logger.error('label purchase hit a unique key', {
            error: String(error),
            requestId: plan.requestId,
          });
          fail(
            UserErrorCode.WRITE_CONFLICT,
            'The purchase conflicted with another write and was rolled back; nothing was bought or charged. Retry with the same idempotencyKey.',
          );
        }
        throw error;
      }
    }
  }

  /**
   * The purchase's one transaction: the label and everything with it, the key settled and the
   * operation COMPLETED, only while `lease` still holds the operation.
   */
  private commit(
    plan: PurchasePlan,
    operationId: number,
    lease: string,
    trackingNumber: string,
  ): Promise<PurchaseLabelResult> {
    return this.deps.db.transaction(async (tx) => {
      const now = this.clock();
      const held = await moveOperation(tx.manager, operationId, lease, [PENDING], {
        status: CarrierOperationStatus.COMPLETED,
        trackingNumber,
        claimedBy: null,
        claimedUntil: null,
        updatedAt: now,
      });
      if (!held) throw new OperationLeaseLost(operationId);
      const result = await writePurchase(tx, plan, {
        events: this.deps.events,
        now,
        trackingNumber,
        operationId,
      });
      await tx.manager.update(CarrierOperation, { id: operationId }, { labelId: result.label.id });
      return result;
    });
  }

  /** Nothing sold (or the number is another label's): the operation FAILED, the key released. */
  private async settleWithoutLabel(
    op: CarrierOperation,
    lease: string,
    lastError: string,
  ): Promise<void> {
    await this.deps.db.transaction(async ({ manager: m }) => {
      const moved = await moveOperation(m, op.id, lease, [PENDING, VOIDING], {
        status: CarrierOperationStatus.FAILED,
        lastError,
        claimedBy: null,
        claimedUntil: null,
        updatedAt: this.clock(),
      });
      if (moved) await releaseKey(m, op.id);
    });
  }

  /**
   * The purchase did not commit: releases the key and gives the carrier label back. With no
   * tracking number (the carrier did not answer) the operation is left VOIDING for the reconciler,
   * which asks the carrier again under the same reference to learn it. A failed void is retried
   * by the reconciler too. Never throws: the original error wins.
   */
  private async giveBack(
    op: CarrierOperation,
    lease: string,
    trackingNumber: string | null,
    /** The request that failed to buy (null from the reconciler), for the log. */
    requestId: string | null = null,
  ): Promise<void> {
    try {
      const now = this.clock();
      const moved = await this.deps.db.transaction(async ({ manager: m }) => {
        const ours = await moveOperation(m, op.id, lease, [PENDING, VOIDING], {
          status: VOIDING,
          trackingNumber,
          updatedAt: now,
          // Unknown number: released to the reconciler at once.
          ...(trackingNumber === null ? { claimedBy: null, claimedUntil: null } : {}),
        });
        if (ours) await releaseKey(m, op.id);
        return ours;
      });
      if (!moved || trackingNumber === null) return;
      await this.voidAtCarrier(op, lease, trackingNumber, requestId);
    } catch (error) {
      this.deps.logger.error('could not give back a label after a failed purchase', {
        operationId: op.id,
        trackingNumber,
        requestId,
        error: String(error),
      });
    }
  }

  /**
   * Voids a VOIDING operation's label at the carrier and marks it VOIDED; a failed void is left
   * to the reconciler. A number that a committed label uses is not voided (a void would cancel
   * that label): the operation FAILED.
   */
  private async voidAtCarrier(
    op: CarrierOperation,
    lease: string,
    trackingNumber: string,
    requestId: string | null = null,
  ): Promise<void> {
    const committed = await this.deps.db.manager.count(Label, {
      where: { carrier: op.carrier, trackingNumber },
    });
    if (committed > 0) {
      await moveOperationNow(this.deps.db, op.id, lease, [VOIDING], {
        status: CarrierOperationStatus.FAILED,
        lastError: 'the tracking number is on another label; not voided',
        claimedBy: null,
        claimedUntil: null,
        updatedAt: this.clock(),
      });
      return;
    }
    try {
      await withCarrierTimeout(
        this.carrier.gateway.void({ carrier: op.carrier, trackingNumber }),
        'void',
        this.carrier.timeoutMs,
      );
    } catch (error) {
      this.deps.logger.error('could not void a label after a failed purchase', {
        trackingNumber,
        error: String(error),
        requestId,
      });
      const attempts = op.attempts + 1;
      await moveOperationNow(this.deps.db, op.id, lease, [VOIDING], {
        attempts,
        lastError: errorText(error),
        claimedBy: null,
        claimedUntil: retryAt(this.clock(), attempts),
        updatedAt: this.clock(),
      });
      return;
    }
    await moveOperationNow(this.deps.db, op.id, lease, [VOIDING], {
      status: CarrierOperationStatus.VOIDED,
      claimedBy: null,
      claimedUntil: null,
      updatedAt: this.clock(),
    });
  }

  /**
   * Resolves a purchase operation nobody else holds, under `lease` (the reconciler, or a retry of
   * the key that found it abandoned): learns the label from the carrier under the operation's
   * reference when the number was not recorded, then attaches it to the key that paid for it
   * when the key still waits for it and the order can still take it, and otherwise gives it back.
   */
  async resolve(op: CarrierOperation, lease: string): Promise<void> {
    const plan = await this.planOf(op);
    let trackingNumber = op.trackingNumber;
    if (trackingNumber === null) {
      if (!plan) {
        // Not reachable while quotes are kept; without the request the carrier cannot be asked.
        await this.settleWithoutLabel(op, lease, 'the purchase can no longer be rebuilt');
        return;
      }
      try {
        trackingNumber = await buyCarrierLabel(
          this.carrier.gateway,
          plan,
          op.reference!,
          this.carrier.timeoutMs,
        );
      } catch (error) {
        const reason = error instanceof CarrierPurchaseFailed ? error.reason : error;
        const attempts = op.attempts + 1;
        await moveOperationNow(this.deps.db, op.id, lease, UNRESOLVED, {
          attempts,
          lastError: errorText(reason),
          claimedBy: null,
          claimedUntil: retryAt(this.clock(), attempts),
          updatedAt: this.clock(),
        });
        return;
      }
    }
    if (op.status === VOIDING || !plan) {
      await this.giveBack(op, lease, trackingNumber);
      return;
    }
    try {
      await this.commit(plan, op.id, lease, trackingNumber);
      this.deps.logger.info('reconciled a purchase: label attached to its key', {
        operationId: op.id,
        trackingNumber,
      });
    } catch (error) {
      if (error instanceof OperationLeaseLost) return;
      if (isTrackingNumberTaken(error)) {
        await this.settleWithoutLabel(op, lease, errorText(error));
        return;
      }
      this.deps.logger.warn('reconciled a purchase: label given back', {
        operationId: op.id,
        trackingNumber,
        reason: errorText(error),
      });
      await this.giveBack(op, lease, trackingNumber);
    }
  }

  /** The purchase as validated when it was claimed, rebuilt from the operation; null if gone. */
  private async planOf(op: CarrierOperation): Promise<PurchasePlan | null> {
    const m = this.deps.db.manager;
    if (op.quoteId === null || op.idempotencyKey === null) return null;
    const quote = await m.findOneBy(LabelQuote, { id: op.quoteId, sellerId: op.sellerId });
    const rate = quote?.rates.find((r) => r.rateId === op.rateId);
    const option = rate?.options.find((o) => o.option === op.signatureOption);
    if (!quote || !rate || !option) return null;
    if (!quote.shipFromAddressId) return null;
    const order = await m.findOneByOrFail(Order, { id: quote.orderId });
    const [service, seller, buyer, shipTo, shipFrom] = await Promise.all([
      m.findOneByOrFail(CarrierService, { id: rate.serviceId }),
      m.findOneByOrFail(Seller, { id: op.sellerId }),
      m.findOneByOrFail(Buyer, { id: order.buyerId }),
      m.findOneByOrFail(Address, { id: order.shipToAddressId }),
      m.findOneByOrFail(Address, { id: quote.shipFromAddressId }),
    ]);
    return {
      sellerId: op.sellerId,
      idempotencyKey: op.idempotencyKey,
      requestHash: '',
      quote,
      rate,
      option,
      order,
      service,
      seller,
      buyer,
      shipTo,
      shipFrom,
    };
  }

  private async validate(
    sellerId: number,
    input: PurchaseLabelInput,
    requestHash: string,
  ): Promise<PurchasePlan> {
    const manager = this.deps.db.manager;
    const quoteId = decodeId(input.quoteId, 'LabelQuote', ['input', 'quoteId']);
    const quote = await manager.findOne(LabelQuote, { where: { id: quoteId, sellerId } });
    if (!quote) fail(UserErrorCode.QUOTE_NOT_FOUND, 'No such quote', ['input', 'quoteId']);
    if (quote.expiresAt.getTime() <= this.clock().getTime()) {
      fail(
        UserErrorCode.QUOTE_EXPIRED,
        `The quote's prices held until ${quote.expiresAt.toISOString()}; request a new quote.`,
        ['input', 'quoteId'],
      );
    }
    const rate = quote.rates.find((r) => r.rateId === input.rateId);
    if (!rate) {
      fail(UserErrorCode.RATE_NOT_FOUND, `The quote has no rate "${input.rateId}"`, [
        'input',
        'rateId',
      ]);
    }
    if (!quote.shipFromAddressId) {
      // Made before ship-from locations existed (and long expired): the seller quotes again.
      fail(UserErrorCode.QUOTE_EXPIRED, 'The quote is outdated; request a new quote.', [
        'input',
        'quoteId',
      ]);
    }
    // The quote's own facts first (rate, option), then the live state (order, terms).
    const order = await manager.findOneByOrFail(Order, { id: quote.orderId });
    const [service, seller, buyer, shipTo, items, shipFrom] = await Promise.all([
      manager.findOneByOrFail(CarrierService, { id: rate.serviceId }),
      manager.findOneByOrFail(Seller, { id: sellerId }),
      manager.findOneByOrFail(Buyer, { id: order.buyerId }),
      manager.findOneByOrFail(Address, { id: order.shipToAddressId }),
      manager.find(LineItem, { where: { orderId: order.id } }),
      manager.findOneByOrFail(Address, { id: quote.shipFromAddressId }),
    ]);
    requireEligible(rate, items, service.name);
    const option = rate.options.find((o) => o.option === input.signatureOption);
    if (!option?.supported) {
      const wanted = input.signatureOption;
      const alternatives = quote.rates
        .map((r) => ({ rate: r, option: r.options.find((o) => o.option === wanted) }))
        .filter((a) => a.option?.supported && rateEligibility(a.rate, items).eligible)
        .sort((a, b) => a.option!.totalMinor - b.option!.totalMinor);
      const listed = alternatives
        .map(
          (a) => `${a.rate.serviceCode} (${quote.currency} ${formatMinor(a.option!.totalMinor)})`,
        )
        .join(', ');
      fail<PurchaseLabelError>({
        code: UserErrorCode.SIGNATURE_NOT_SUPPORTED,
        message:
          `${service.name} cannot carry ${optionName(wanted)}` +
          (option?.unavailableReason ? `: ${option.unavailableReason} ` : '. ') +
          (listed
            ? `Services in this quote that can: ${listed}.`
            : 'No service in this quote can.'),
        field: ['input', 'signatureOption'],
        alternatives: alternatives.map((a) => ({ currency: quote.currency, rate: a.rate })),
      });
    }
    const unshippable = unshippableReason(order);
    if (unshippable) fail({ ...unshippable, field: ['input', 'quoteId'] });
    if (option.option !== SignatureOption.NONE) {
      const standing = await this.terms.standing(manager, sellerId);
      if (!standing.satisfied && standing.current) {
        const fee = money(option.feeMinor, quote.currency);
        const version = standing.current.version;
        fail<PurchaseLabelError>({
          code: UserErrorCode.SIGNATURE_TERMS_NOT_ACCEPTED,
          message:
            `Before your first label with a signature option, accept the signature terms ` +
            `(version ${version}) with acceptSignatureTerms. ${optionName(option.option)} on ` +
            `${service.name} costs ${fee.currencyCode} ${fee.amount} on top of postage.`,
          field: ['input', 'signatureOption'],
          fee,
          termsVersion: version,
        });
      }
    }
    return {
      sellerId,
      idempotencyKey: input.idempotencyKey,
      requestHash,
      quote,
      rate,
      option,
      order,
      service,
      seller,
      buyer,
      shipTo,
      shipFrom,
    };
  }

  /** The first result for this key, or IDEMPOTENCY_KEY_REUSED when the input differs. */
  private async replay(
    record: IdempotencyRecord,
    requestHash: string,
    tx?: Tx,
  ): Promise<PurchaseLabelResult> {
    const field = ['input', 'idempotencyKey'];
    if (record.requestHash !== requestHash) {
      fail(
        UserErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This idempotency key was already used for a different purchase; use a new key.',
        field,
      );
    }
    if (record.labelId === null) {
      // Not reachable: keyOutcome waits for a claim to settle; kept as a safe answer.
      fail(
        UserErrorCode.IDEMPOTENCY_REQUEST_IN_PROGRESS,
        'A purchase with this key is still running; retry shortly.',
        field,
      );
    }
    const m = tx?.manager ?? this.deps.db.manager;
    const label = await m.findOneByOrFail(Label, { id: record.labelId });
    const [order, shipment] = await Promise.all([
      m.findOneByOrFail(Order, { id: label.orderId }),
      m.findOne(Shipment, { where: { labelId: label.id } }),
    ]);
    return { label, order, shipment };
  }
}
