import { IsNull } from 'typeorm';
import { enqueueWebhookEvent, labelData } from '../webhooks/outgoing';
import type { CarrierGateway } from '../carriers/gateway';
import { withCarrierTimeout } from '../carriers/timeout';
import type { Tx } from '../db/database';
import {
  Charge,
  IdempotencyRecord,
  Label,
  Notification,
  Order,
  Shipment,
  SignatureDecision,
} from '../entities';
import type { Address, Buyer, CarrierService, LabelQuote, Seller } from '../entities';
import type { QuotedOption, QuotedRate } from '../entities/label-quote.entity';
import {
  ChargeKind,
  LabelStatus,
  NotificationKind,
  OrderStatus,
  ShipmentStatus,
  SignatureDecisionOutcome,
  SignatureOption,
} from '../entities/enums';
import type { Money } from '../core/money';
import { signatureRequirementText } from '../core/signature-text';
import { fail } from '../core/user-error';
import type { UserError } from '../core/user-error';
import { draftNotification } from '../notifications/compose';
import { ShipmentChange } from '../pubsub/event-bus';
import { recordShipmentEvent } from '../core/shipment-events';
import type { EventBus } from '../pubsub/event-bus';
import type { RateRef } from './label-quote.service';
import { unshippableReason } from './label-rules';
import { internalEventId } from './tracking/event-ids';

/** A user error of purchaseLabel, with what the seller needs to act on it. */
export interface PurchaseLabelError extends UserError {
  /** SIGNATURE_TERMS_NOT_ACCEPTED: the fee that would apply. */
  fee?: Money | null;
  /** SIGNATURE_TERMS_NOT_ACCEPTED: the version to accept. */
  termsVersion?: string | null;
  /** SIGNATURE_NOT_SUPPORTED: rates of the quote that support the option, cheapest first. */
  alternatives?: RateRef[] | null;
}

export interface PurchaseLabelResult {
  label: Label;
  order: Order;
  shipment: Shipment | null;
}

/** Everything validated before the transaction starts. */
export interface PurchasePlan {
  sellerId: number;
  idempotencyKey: string;
  requestHash: string;
  quote: LabelQuote;
  rate: QuotedRate;
  option: QuotedOption;
  order: Order;
  service: CarrierService;
  seller: Seller;
  buyer: Buyer;
  shipTo: Address;
  /** Where the parcel leaves from: the quote's location's address as quoted. */
  shipFrom: Address;
  /** The request that asked for the purchase; the reconciler's takeovers have none. */
  requestId?: string | null;
}

/** The carrier failed the sale or timed out: nothing written, answered as CARRIER_UNAVAILABLE. */
export class CarrierPurchaseFailed extends Error {
  constructor(readonly reason: unknown) {
    super(`carrier purchase failed: ${String(reason)}`);
  }
}

export const optionName = (o: SignatureOption): string =>
  signatureRequirementText(o) ?? 'No signature';

/** What the seller chose against what the quote's risk assessment recommended. */
export function decisionOutcome(
  recommended: SignatureOption,
  chosen: SignatureOption,
): SignatureDecisionOutcome {
  if (recommended === SignatureOption.NONE) return SignatureDecisionOutcome.NOT_RECOMMENDED;
  if (chosen === recommended) return SignatureDecisionOutcome.ACCEPTED;
  if (chosen === SignatureOption.NONE) return SignatureDecisionOutcome.DECLINED;
  return SignatureDecisionOutcome.CHANGED;
}

export interface PurchaseEnv {
  events: EventBus;
  now: Date;
  /** The label the carrier already sold for this attempt (bought before the transaction). */
  trackingNumber: string;
  /** The carrier operation that claimed the idempotency key and bought the label. */
  operationId: number;
}

/** The idempotency key is no longer claimed by the operation (rolls the transaction back). */
export class KeyNoLongerClaimed extends Error {
  constructor() {
    super('the idempotency key is no longer claimed by this purchase');
  }
}

/**
 * Buys the carrier label for a validated plan, OUTSIDE any transaction: on SQLite a transaction
 * holds the process's single write lock, and on PostgreSQL a pool connection and the order's row
 * lock, so a slow carrier must not run under either. The reference makes duplicates of one key
 * get the same label back. Throws CarrierPurchaseFailed when the carrier fails or times out.
 */
export async function buyCarrierLabel(
  gateway: CarrierGateway,
  plan: PurchasePlan,
  reference: string,
  carrierTimeoutMs: number,
): Promise<string> {
  const { service, quote, option, shipTo, sellerId } = plan;
  const { trackingNumber } = await withCarrierTimeout(
    gateway.purchase({
      service,
      parcel: quote.parcel,
      originPostalCode: plan.shipFrom.postalCode,
      destinationPostalCode: shipTo.postalCode,
      destinationCountry: shipTo.country,
      signatureCarrierCode: option.carrierCode,
      shipperId: sellerId,
      reference,
    }),
    'purchase',
    carrierTimeoutMs,
  ).catch((error: unknown) => {
    throw new CarrierPurchaseFailed(error);
  });
  return trackingNumber;
}

export async function writePurchase(
  tx: Tx,
  plan: PurchasePlan,
  env: PurchaseEnv,
): Promise<PurchaseLabelResult> {
  const m = tx.manager;
  const { quote, rate, option, order, service, buyer, sellerId, now, trackingNumber } = {
    ...plan,
    ...env,
  };
  // Guarded: a purchase under another key may have labeled the order meanwhile.
  const moved = await m.update(
    Order,
    { id: order.id, status: OrderStatus.AWAITING_SHIPMENT },
    { status: OrderStatus.LABEL_PURCHASED, updatedAt: now },
  );
  if (!moved.affected) {
    const fresh = await m.findOneByOrFail(Order, { id: order.id });
    const reason = unshippableReason(fresh);
    if (!reason) throw new Error(`Order ${order.id} did not move to LABEL_PURCHASED`);
    // Rolls the transaction back; the caller gives the bought carrier label back.
    fail({ ...reason, field: ['input', 'quoteId'] });
  }
  order.status = OrderStatus.LABEL_PURCHASED;
  order.updatedAt = now;

  const label = m.create(Label, {
    orderId: order.id,
    sellerId,
    quoteId: quote.id,
    shipFromLocationId: quote.shipFromLocationId,
    shipFromAddressId: plan.shipFrom.id,
    rateId: rate.rateId,
    serviceId: service.id,
    carrier: service.carrier,
    trackingNumber,
    signatureOption: option.option,
    signatureCarrierCode: option.carrierCode,
    currency: quote.currency,
    postageMinor: rate.basePostageMinor,
    signatureFeeMinor: option.feeMinor,
    totalMinor: option.totalMinor,
    status: LabelStatus.PURCHASED,
    createdAt: now,
    voidedAt: null,
    shipToFingerprint: plan.shipTo.fingerprint,
  });
  await m.insert(Label, label);
  // The key was claimed for this operation before the carrier call; the label settles it.
  const settled = await m.update(
    IdempotencyRecord,
    { sellerId, key: plan.idempotencyKey, operationId: env.operationId, labelId: IsNull() },
    { labelId: label.id },
  );
  if (!settled.affected) throw new KeyNoLongerClaimed();

  const shipment = m.create(Shipment, {
    orderId: order.id,
    sellerId,
    buyerId: order.buyerId,
    labelId: label.id,
    carrier: service.carrier,
    trackingNumber,
    status: ShipmentStatus.LABEL_CREATED,
    statusReason: null,
    signatureRequirement: option.option,
    statusAt: now,
    estimatedDeliveryAt: new Date(now.getTime() + rate.estimatedDays * 86_400_000),
    createdAt: now,
    updatedAt: now,
  });
  await m.insert(Shipment, shipment);
  const requirement = signatureRequirementText(option.option);
  await recordShipmentEvent(
    tx,
    env.events,
    shipment,
    {
      carrierEventId: internalEventId('label', label.id),
      status: ShipmentStatus.LABEL_CREATED,
      reason: null,
      description:
        `Label created for ${service.name}${requirement ? `, ${requirement}` : ''}; ` +
        'the carrier has not scanned the parcel yet.',
      location: null,
      occurredAt: now,
      receivedAt: now,
    },
    { changes: [ShipmentChange.CREATED, ShipmentChange.EVENT_ADDED], previousStatus: null },
  );

  const charge = (kind: ChargeKind, description: string, amountMinor: number) =>
    m.create(Charge, {
      sellerId,
      labelId: label.id,
      kind,
      description,
      amountMinor,
      currency: quote.currency,
      createdAt: now,
    });
  const charges = [
    charge(
      ChargeKind.POSTAGE,
      `Postage: ${service.name}, ${trackingNumber}`,
      rate.basePostageMinor,
    ),
  ];
  if (option.option !== SignatureOption.NONE) {
    charges.push(
      charge(
        ChargeKind.SIGNATURE_FEE,
        `${optionName(option.option)} (${service.carrier} ${option.carrierCode}), ${trackingNumber}`,
        option.feeMinor,
      ),
    );
  }
  await m.insert(Charge, charges);
  await m.insert(SignatureDecision, {
    sellerId,
    orderId: order.id,
    labelId: label.id,
    riskAssessmentId: quote.riskAssessmentId,
    recommended: quote.recommendedSignature,
    chosen: option.option,
    outcome: decisionOutcome(quote.recommendedSignature, option.option),
    createdAt: now,
  });
  if (option.option !== SignatureOption.NONE) {
    // The outbox row; the notification worker delivers it after commit.
    await m.insert(
      Notification,
      draftNotification({
        kind: NotificationKind.SIGNATURE_REQUIRED,
        buyer,
        order,
        shipment,
        causeId: `label:${label.id}`,
        now,
        requestId: plan.requestId,
      }),
    );
  }
  await enqueueWebhookEvent(m, {
    sellerId,
    event: 'label.purchased',
    data: labelData(label),
    now,
    requestId: plan.requestId,
  });
  return { label, order, shipment };
}
