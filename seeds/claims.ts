import { In } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { DEFAULT_CLAIM_SETTINGS } from '../src/config/config';
import type { Tx } from '../src/db/database';
import { insertAll } from '../src/db/insert-all';
import {
  CarrierService,
  Charge,
  Label,
  Notification,
  Order,
  Shipment,
  TrackingEvent,
} from '../src/entities';
import {
  Carrier,
  ChargeKind,
  ClaimActor,
  ClaimReason,
  LabelStatus,
  NotificationStatus,
  OrderStatus,
  ShipmentStatus,
  ShippingSpeed,
  SignatureOption,
} from '../src/entities/enums';
import { uspsTrackingNumber } from '../src/carriers/tracking-numbers';
import { createEventBus } from '../src/pubsub/event-bus';
import { fileClaimIn, moveClaim } from '../src/services/claims/claim-core';
import { writeImportedOrder } from '../src/services/intake/order-writes';
import { ClaimAction } from '../src/services/claims/claim-machine';
import type { BuyerSeed } from './people';

const DAY_MS = 86_400_000;
const HISTORY_SERVICE = 'USPS_GROUND_ADVANTAGE';
/** The source the history orders are imported from (numbered CS-H…). */
export const HISTORY_SOURCE = 'demo-history';

/** How each of a buyer's earlier claims ended: the seller refunded, or staff did for the buyer. */
const ENDINGS = [ClaimAction.REFUND, ClaimAction.RESOLVE_FOR_BUYER] as const;

export interface ClaimSeedRefs {
  now: Date;
  buyers: readonly BuyerSeed[];
  buyerIds: number[];
  sellerIds: number[];
}

/**
 * The not-received claim history the risk rules read: for every seed buyer with earlier claims,
 * that many past orders (unsigned labels, delivered months ago), each claimed and closed through
 * the claim rules (src/services/claims/claim-core.ts) as the API would. The orders are history:
 * numbered CS-H…, delivered, outside today's order scenarios. Deterministic for a `now`.
 */
export async function seedClaimHistory(
  manager: EntityManager,
  refs: ClaimSeedRefs,
): Promise<{ orders: number; claims: number }> {
  const service = await manager.findOneByOrFail(CarrierService, { code: HISTORY_SERVICE });
  // Seeding runs inside its own transaction and nobody subscribes yet: nothing to publish.
  const tx: Tx = { manager, afterCommit: () => {} };
  const env = { events: createEventBus(), settings: DEFAULT_CLAIM_SETTINGS };
  let claims = 0;
  const historyOrders: number[] = [];
  for (const [b, buyer] of refs.buyers.entries()) {
    for (let k = 0; k < buyer.priorClaims; k += 1) {
      const sellerId = refs.sellerIds[(b + k) % refs.sellerIds.length];
      const placedAt = new Date(refs.now.getTime() - (200 - 40 * k) * DAY_MS);
      const deliveredAt = new Date(placedAt.getTime() + 4 * DAY_MS);
      const orderId = await historyOrder(manager, {
        number: `CS-H${String(claims + 1).padStart(4, '0')}`,
        buyer,
        buyerId: refs.buyerIds[b],
        sellerId,
        placedAt,
        deliveredAt,
      });
      await deliveredUnsigned(manager, {
        orderId,
        sellerId,
        buyerId: refs.buyerIds[b],
        service,
        placedAt,
        deliveredAt,
      });
      const filedAt = new Date(deliveredAt.getTime() + 2 * DAY_MS);
      const claim = await fileClaimIn(tx, env, {
        buyerId: refs.buyerIds[b],
        by: { actor: ClaimActor.BUYER, tokenId: null },
        orderId,
        reason: ClaimReason.DELIVERED_NOT_RECEIVED,
        description: 'The tracking says delivered, but nothing was at the door.',
        now: filedAt,
      });
      const order = await manager.findOneByOrFail(Order, { id: orderId });
      const ending = ENDINGS[k % ENDINGS.length];
      await moveClaim(tx, env, {
        claim,
        order,
        action: ending,
        by:
          ending === ClaimAction.REFUND
            ? { actor: ClaimActor.SELLER, tokenId: null }
            : { actor: ClaimActor.ADMIN, tokenId: null },
        note: 'No signature was captured, so nothing shows who received the parcel.',
        refund: order.totalMinor,
        now: new Date(filedAt.getTime() + DAY_MS),
      });
      claims += 1;
      historyOrders.push(orderId);
    }
  }
  // The buyers heard of these claims when they happened: nothing is left for the outbox to send.
  if (historyOrders.length > 0) {
    await manager.update(
      Notification,
      { orderId: In(historyOrders) },
      { status: NotificationStatus.SENT, sentAt: refs.now },
    );
  }
  return { orders: claims, claims };
}

async function historyOrder(
  m: EntityManager,
  a: {
    number: string;
    buyer: BuyerSeed;
    buyerId: number;
    sellerId: number;
    placedAt: Date;
    deliveredAt: Date;
  },
): Promise<number> {
  // Through the import like every seeded order (assessed as it stood then), then delivered.
  const home = { name: a.buyer.name, company: null, line2: null, country: 'US', ...a.buyer.home };
  const { order } = await writeImportedOrder(
    m,
    HISTORY_SOURCE,
    0,
    {
      externalId: a.number,
      number: a.number,
      sellerId: a.sellerId,
      buyerId: a.buyerId,
      currency: 'USD',
      lineItems: [
        {
          sku: 'HIST-HEADPHONES',
          title: 'Wireless headphones',
          quantity: 1,
          unitPriceMinor: 18_900,
          category: 'electronics',
          ageRestricted: false,
        },
      ],
      subtotalMinor: 18_900,
      shippingMinor: 0,
      taxMinor: 0,
      totalMinor: 18_900,
      shippingSpeed: ShippingSpeed.STANDARD,
      shipTo: home,
      billingAddress: home,
      placedAt: a.placedAt,
      parcel: { weightOz: 24, lengthIn: 10, widthIn: 8, heightIn: 4 },
      onHold: false,
      addressChangedAfterCheckout: false,
    },
    a.placedAt,
  );
  await m.update(
    Order,
    { id: order.id },
    { status: OrderStatus.DELIVERED, updatedAt: a.deliveredAt },
  );
  return order.id;
}

/** The label and tracking of a past delivery: no signature bought, none captured. */
async function deliveredUnsigned(
  m: EntityManager,
  a: {
    orderId: number;
    sellerId: number;
    buyerId: number;
    service: CarrierService;
    placedAt: Date;
    deliveredAt: Date;
  },
): Promise<void> {
  const trackingNumber = uspsTrackingNumber(HISTORY_SERVICE, `seed-history-${a.orderId}`);
  const boughtAt = new Date(a.placedAt.getTime() + DAY_MS);
  const [labelId] = await insertAll(m, Label, [
    {
      orderId: a.orderId,
      sellerId: a.sellerId,
      quoteId: 0,
      rateId: 'seed-history',
      serviceId: a.service.id,
      carrier: Carrier.USPS,
      trackingNumber,
      signatureOption: SignatureOption.NONE,
      signatureCarrierCode: null,
      currency: 'USD',
      postageMinor: 895,
      signatureFeeMinor: 0,
      totalMinor: 895,
      status: LabelStatus.PURCHASED,
      createdAt: boughtAt,
      voidedAt: null,
    },
  ]);
  // Every label carries its postage on the seller's account, the seeded ones too.
  await insertAll(m, Charge, [
    {
      sellerId: a.sellerId,
      labelId,
      kind: ChargeKind.POSTAGE,
      description: `Postage: ${a.service.name}, ${trackingNumber}`,
      amountMinor: 895,
      currency: 'USD',
      createdAt: boughtAt,
    },
  ]);
  const [shipmentId] = await insertAll(m, Shipment, [
    {
      orderId: a.orderId,
      sellerId: a.sellerId,
      buyerId: a.buyerId,
      labelId,
      carrier: Carrier.USPS,
      trackingNumber,
      status: ShipmentStatus.DELIVERED,
      statusReason: null,
      signatureRequirement: SignatureOption.NONE,
      statusAt: a.deliveredAt,
      estimatedDeliveryAt: a.deliveredAt,
      createdAt: boughtAt,
      updatedAt: a.deliveredAt,
    },
  ]);
  const event = (status: ShipmentStatus, at: Date, description: string) => ({
    shipmentId,
    carrier: Carrier.USPS,
    carrierEventId: `seed-history-${shipmentId}-${status}`,
    status,
    reason: null,
    description,
    location: null,
    occurredAt: at,
    receivedAt: at,
  });
  await insertAll(m, TrackingEvent, [
    event(ShipmentStatus.LABEL_CREATED, boughtAt, 'Shipping label created'),
    event(ShipmentStatus.DELIVERED, a.deliveredAt, 'Delivered'),
  ]);
}
