import { randomInt } from 'node:crypto';
import { Address, Buyer, Label, Order, Seller, Shipment, TrackingEvent } from '../../src/entities';
import {
  Carrier,
  LabelStatus,
  OrderStatus,
  ShipmentStatus,
  SignatureOption,
} from '../../src/entities/enums';
import { toGlobalId } from '../../src/graphql/global-id';
import type { TestServer } from './test-server';

export interface ShipmentFixture {
  shipment: Shipment;
  order: Order;
  buyer: Buyer;
  shipTo: Address;
  trackingNumber: string;
  shipmentGid: string;
  orderGid: string;
  /** Dev tokens of the order's seller and buyer. */
  sellerToken: string;
  buyerToken: string;
}

export interface ShipmentOptions {
  signature?: SignatureOption;
  carrier?: Carrier;
  /** Seller index (0-based) whose order to ship; default 0. */
  seller?: number;
  /** When the label was bought; default an hour ago, so carrier events "now" come after it. */
  labelAt?: Date;
}

function trackingNumberFor(carrier: Carrier): string {
  const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
  return carrier === Carrier.UPS ? `1ZTEST${digits(12)}` : `9400${digits(18)}`;
}

/**
 * A shipment in LABEL_CREATED for a seeded order that has none, inserted the way a label
 * purchase leaves it (label, shipment, first event, order status). Lets tracking tests run
 * without the label flow.
 */
export async function createShipment(
  server: TestServer,
  options: ShipmentOptions = {},
): Promise<ShipmentFixture> {
  const m = server.db.manager;
  const carrier = options.carrier ?? Carrier.USPS;
  const signature = options.signature ?? SignatureOption.SIGNATURE_REQUIRED;
  const labelAt = options.labelAt ?? new Date(Date.now() - 3_600_000);
  const sellerIds = (await m.find(Seller, { order: { id: 'ASC' } })).map((s) => s.id);
  const sellerId = sellerIds[options.seller ?? 0];

  const fixture = await server.db.transaction(async ({ manager: tx }) => {
    const order = await tx
      .createQueryBuilder(Order, 'o')
      .where('o.sellerId = :sellerId', { sellerId })
      .andWhere('o.status = :status', { status: OrderStatus.AWAITING_SHIPMENT })
      .andWhere('NOT EXISTS (SELECT 1 FROM shipments s WHERE s."orderId" = o.id)')
      .orderBy('o.id', 'ASC')
      .getOneOrFail();
    const trackingNumber = trackingNumberFor(carrier);
    const label = await tx.save(
      tx.create(Label, {
        orderId: order.id,
        sellerId,
        quoteId: 0,
        rateId: 'fixture',
        serviceId: 1,
        carrier,
        trackingNumber,
        signatureOption: signature,
        signatureCarrierCode: signature === SignatureOption.NONE ? null : 'fixture',
        currency: 'USD',
        postageMinor: 800,
        signatureFeeMinor: signature === SignatureOption.NONE ? 0 : 395,
        totalMinor: signature === SignatureOption.NONE ? 800 : 1195,
        status: LabelStatus.PURCHASED,
        createdAt: labelAt,
        voidedAt: null,
      }),
    );
    const shipment = await tx.save(
      tx.create(Shipment, {
        orderId: order.id,
        sellerId,
        buyerId: order.buyerId,
        labelId: label.id,
        carrier,
        trackingNumber,
        status: ShipmentStatus.LABEL_CREATED,
        statusReason: null,
        signatureRequirement: signature,
        statusAt: labelAt,
        estimatedDeliveryAt: new Date(labelAt.getTime() + 3 * 86_400_000),
        createdAt: labelAt,
        updatedAt: labelAt,
      }),
    );
    await tx.insert(TrackingEvent, {
      shipmentId: shipment.id,
      carrier,
      carrierEventId: `local:label:${label.id}`,
      status: ShipmentStatus.LABEL_CREATED,
      reason: null,
      description: 'Label created',
      location: null,
      occurredAt: labelAt,
      receivedAt: labelAt,
    });
    await tx.update(Order, { id: order.id }, { status: OrderStatus.LABEL_PURCHASED });
    return { order, shipment, trackingNumber };
  });

  const buyer = await m.findOneByOrFail(Buyer, { id: fixture.order.buyerId });
  const shipTo = await m.findOneByOrFail(Address, { id: fixture.order.shipToAddressId });
  const buyerIds = (await m.find(Buyer, { order: { id: 'ASC' } })).map((b) => b.id);
  return {
    ...fixture,
    buyer,
    shipTo,
    shipmentGid: toGlobalId('Shipment', fixture.shipment.id),
    orderGid: toGlobalId('Order', fixture.order.id),
    sellerToken: server.tokens.seller[sellerIds.indexOf(sellerId)],
    buyerToken: server.tokens.buyer[buyerIds.indexOf(buyer.id)],
  };
}

/** A token of a buyer other than `notThis`. */
export function otherBuyerToken(server: TestServer, notThis: string): string {
  return server.tokens.buyer.find((t) => t !== notThis) as string;
}
