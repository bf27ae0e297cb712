import { money } from '../core/money';
import type { CarrierLink } from '../carriers/gateway';
import { withCarrierTimeout } from '../carriers/timeout';
import type { Clock } from '../core/clock';
import type { RequestContext } from '../core/request-context';
import { isUniqueViolation } from '../db/errors';
import type { Tx } from '../db/database';
import {
  Address,
  Buyer,
  CarrierService,
  LabelQuote,
  Label,
  LineItem,
  Order,
  Seller,
  Shipment,
} from '../entities';
import type { IdempotencyRecord } from '../entities';
import { SignatureOption } from '../entities/enums';
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

/** The carrier's dedupe reference: seller and key, then the retry after a tracking-number clash. */
const carrierReference = (sellerId: number, key: string, attempt: number) =>
  attempt === 0 ? `${sellerId}:${key}` : `${sellerId}:${key}#${attempt}`;

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
 * Buys a label from a quote, in three steps. Everything is validated first. Then the carrier
 * sells the label OUTSIDE any transaction (a transaction holds SQLite's single write lock, or a
 * PostgreSQL connection and the order's row lock, and the carrier may take seconds), keyed by a
 * reference so that duplicates of one key get the same label. Then one transaction writes the
 * label, the order's status, the shipment with its first event, the charges, the seller's
 * decision and the buyer's notification (label-purchase-writes.ts). If that transaction does not
 * commit our label, the label goes back to the carrier unless a committed label uses its number.
 * The idempotency key makes a retry replay the first result; a request that fails validation or
 * that the carrier refuses does not use the key up.
 */
export class LabelPurchaseService {
  constructor(
    private readonly deps: ServiceDeps,
    /** The carrier, and how long a purchase or a give-back void waits for it. */
    private readonly carrier: CarrierLink,
    private readonly terms: SignatureTermsService,
    private readonly clock: Clock,
  ) {}

  async purchase(ctx: RequestContext, input: PurchaseLabelInput): Promise<PurchaseLabelResult> {
    const { sellerId } = requireSeller(ctx);
    if (!isValidIdempotencyKey(input.idempotencyKey)) {
      fail(UserErrorCode.INVALID_INPUT, 'idempotencyKey must be 1 to 255 printable characters', [
        'input',
        'idempotencyKey',
      ]);
    }
    const requestHash = purchaseRequestHash(input);
    const prior = await settledIdempotencyRecord(this.deps.db, sellerId, input.idempotencyKey);
    if (prior) return this.replay(prior, requestHash);

    let plan: PurchasePlan;
    try {
      plan = await this.validate(sellerId, input, requestHash);
    } catch (error) {
      // A duplicate may have committed between the key check and validation (the order then
      // reads as labeled): answer as it did.
      if (!(error instanceof UserInputError)) throw error;
      const late = await settledIdempotencyRecord(this.deps.db, sellerId, input.idempotencyKey);
      if (late) return this.replay(late, requestHash);
      throw error;
    }

    for (let attempt = 0; ; attempt += 1) {
      const reference = carrierReference(sellerId, input.idempotencyKey, attempt);
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
        this.deps.logger.warn('carrier purchase failed', { error: String(error.reason) });
        fail(
          UserErrorCode.CARRIER_UNAVAILABLE,
          'The carrier did not sell the label (it failed or did not answer in time); nothing ' +
            'was bought or charged. Retry with the same idempotencyKey.',
        );
      }
      try {
        const result = await this.deps.db.transaction(async (tx) => {
          // Another request with this key may have committed since the check above (SQLite
          // queues writers, so a concurrent duplicate lands here and replays).
          const raced = await findIdempotencyRecord(tx.manager, sellerId, input.idempotencyKey);
          if (raced) return this.replay(raced, requestHash, tx);
          return writePurchase(tx, plan, {
            events: this.deps.events,
            now: this.clock(),
            trackingNumber,
          });
        });
        // A replay answers with the winner's label; ours, if it is another one, goes back.
        if (result.label.trackingNumber !== trackingNumber) {
          await this.voidQuietly(plan.service, trackingNumber);
        }
        return result;
      } catch (error) {
        if (isTrackingNumberTaken(error)) {
          // Not given back: the number is another label's, and a void would cancel that one.
          this.deps.logger.warn('carrier tracking number already on a label', {
            trackingNumber,
            attempt,
          });
          if (attempt < TRACKING_NUMBER_RETRIES) continue;
          throw error;
        }
        await this.voidQuietly(plan.service, trackingNumber);
        if (error instanceof UserInputError) throw error;
        if (isUniqueViolation(error)) {
          // PostgreSQL: a concurrent request with the same key committed first; answer as it did.
          const winner = await settledIdempotencyRecord(
            this.deps.db,
            sellerId,
            input.idempotencyKey,
          );
          if (winner) return this.replay(winner, requestHash);
          // A clash with a row that is not a concurrent duplicate of this purchase: rolled back,
          // the carrier label given back above; the seller gets a code, never a 500.
          this.deps.logger.error('label purchase hit a unique key', { error: String(error) });
          fail(
            UserErrorCode.WRITE_CONFLICT,
            'The purchase conflicted with another write and was rolled back; nothing was bought or charged. Retry with the same idempotencyKey.',
          );
        }
        throw error;
      }
    }
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
    // The quote's own facts first (rate, option), then the live state (order, terms).
    const order = await manager.findOneByOrFail(Order, { id: quote.orderId });
    const [service, seller, buyer, shipTo, items] = await Promise.all([
      manager.findOneByOrFail(CarrierService, { id: rate.serviceId }),
      manager.findOneByOrFail(Seller, { id: sellerId }),
      manager.findOneByOrFail(Buyer, { id: order.buyerId }),
      manager.findOneByOrFail(Address, { id: order.shipToAddressId }),
      manager.find(LineItem, { where: { orderId: order.id } }),
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
      // Not reachable once committed (the same transaction sets it); kept as a safe answer.
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

  /**
   * Gives back a carrier label that no committed purchase uses; the original error wins. A label
   * that shares the number (same reference as a winning duplicate, or a tracking-number clash)
   * stays live: voiding it would cancel that label at the carrier.
   */
  private async voidQuietly(service: CarrierService, trackingNumber: string): Promise<void> {
    try {
      const committed = await this.deps.db.manager.count(Label, {
        where: { carrier: service.carrier, trackingNumber },
      });
      if (committed > 0) return;
      await withCarrierTimeout(
        this.carrier.gateway.void({ carrier: service.carrier, trackingNumber }),
        'void',
        this.carrier.timeoutMs,
      );
    } catch (error) {
      this.deps.logger.error('could not void a label after a failed purchase', {
        trackingNumber,
        error: String(error),
      });
    }
  }
}
