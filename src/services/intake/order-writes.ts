import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Not } from 'typeorm';
import { addressFingerprint } from '../../core/address-fingerprint';
import { UserErrorCode, fail } from '../../core/user-error';
import { Address, Buyer, LineItem, Order, Seller } from '../../entities';
import type { RiskAssessment } from '../../entities';
import { OrderStatus } from '../../entities/enums';
import { assessOrders } from '../risk/assessor';
import { sameAddress } from './order-input';
import type { AddressInput, ImportedOrder } from './order-input';

export enum ImportOutcome {
  CREATED = 'CREATED',
  UNCHANGED = 'UNCHANGED',
  UPDATED = 'UPDATED',
  REJECTED = 'REJECTED',
}

export interface WrittenOrder {
  outcome: ImportOutcome.CREATED | ImportOutcome.UNCHANGED | ImportOutcome.UPDATED;
  order: Order;
  /** The assessment made in this transaction; null when nothing changed. */
  assessment: RiskAssessment | null;
}

/** SHA-256 of the order's canonical JSON (keys in a fixed order): equal content, equal digest. */
export function importDigest(order: ImportedOrder): string {
  const canonical = JSON.stringify([
    order.externalId,
    order.number,
    order.sellerId,
    order.buyerId,
    order.currency,
    order.lineItems.map((i) => [
      i.sku,
      i.title,
      i.quantity,
      i.unitPriceMinor,
      i.category,
      i.ageRestricted,
    ]),
    [order.subtotalMinor, order.shippingMinor, order.taxMinor, order.totalMinor],
    order.shippingSpeed,
    addressKey(order.shipTo),
    addressKey(order.billingAddress),
    order.placedAt.toISOString(),
    [order.parcel.weightOz, order.parcel.lengthIn, order.parcel.widthIn, order.parcel.heightIn],
    order.onHold,
    order.addressChangedAfterCheckout,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

const addressKey = (a: AddressInput) => [
  a.name,
  a.line1,
  a.line2,
  a.city,
  a.region,
  a.postalCode,
  a.country,
];

/** A new address row, fingerprinted by the product (never by the caller). */
export async function insertAddress(manager: EntityManager, a: AddressInput): Promise<number> {
  const row = manager.create(Address, { ...a, fingerprint: addressFingerprint(a) });
  await manager.insert(Address, row);
  return row.id;
}

async function insertItems(manager: EntityManager, orderId: number, order: ImportedOrder) {
  await manager.insert(
    LineItem,
    order.lineItems.map((item) =>
      manager.create(LineItem, { ...item, orderId, currency: order.currency }),
    ),
  );
}

const parcelColumns = (order: ImportedOrder) => ({
  parcelWeightOz: order.parcel.weightOz,
  parcelLengthIn: order.parcel.lengthIn,
  parcelWidthIn: order.parcel.widthIn,
  parcelHeightIn: order.parcel.heightIn,
});

const field = (index: number, ...path: string[]) => ['orders', String(index), ...path];

/**
 * Writes one validated order on the caller's manager (inside its transaction) and assesses it
 * there, so no order is ever stored without a current assessment:
 * - a new (source, externalId): the addresses, the order and its items; CREATED;
 * - the same content again (same digest): nothing written; UNCHANGED;
 * - changed content while the order awaits shipment: the new content; a changed ship-to also
 *   marks addressChangedAfterCheckout (a risk input); UPDATED.
 * Expected refusals (unknown seller or buyer, a number another order of the source has, a move
 * to another seller, an order already labeled) are raised as user errors, so the caller's
 * transaction rolls back and nothing of this order stays.
 */
export async function writeImportedOrder(
  manager: EntityManager,
  source: string,
  index: number,
  order: ImportedOrder,
  now: Date,
): Promise<WrittenOrder> {
  const digest = importDigest(order);
  const existing = await manager.findOne(Order, {
    where: { source, externalId: order.externalId },
  });
  if (existing?.importDigest === digest) {
    return { outcome: ImportOutcome.UNCHANGED, order: existing, assessment: null };
  }
  if (!(await manager.exists(Seller, { where: { id: order.sellerId } }))) {
    fail(UserErrorCode.SELLER_NOT_FOUND, 'No such seller', field(index, 'sellerId'));
  }
  if (!(await manager.exists(Buyer, { where: { id: order.buyerId } }))) {
    fail(UserErrorCode.BUYER_NOT_FOUND, 'No such buyer', field(index, 'buyerId'));
  }
  const numberTaken = await manager.exists(Order, {
    where: { source, number: order.number, externalId: Not(order.externalId) },
  });
  if (numberTaken) {
    fail(
      UserErrorCode.ORDER_NUMBER_TAKEN,
      `Another order from ${source} has the number ${order.number}`,
      field(index, 'number'),
    );
  }
  const columns = {
    number: order.number,
    currency: order.currency,
    subtotalMinor: order.subtotalMinor,
    shippingMinor: order.shippingMinor,
    taxMinor: order.taxMinor,
    totalMinor: order.totalMinor,
    shippingSpeed: order.shippingSpeed,
    onHold: order.onHold,
    ...parcelColumns(order),
    placedAt: order.placedAt,
    importDigest: digest,
    updatedAt: now,
  };

  if (!existing) {
    const shipToAddressId = await insertAddress(manager, order.shipTo);
    const billingAddressId = sameAddress(order.shipTo, order.billingAddress)
      ? shipToAddressId
      : await insertAddress(manager, order.billingAddress);
    const row = manager.create(Order, {
      ...columns,
      source,
      externalId: order.externalId,
      sellerId: order.sellerId,
      buyerId: order.buyerId,
      shipToAddressId,
      billingAddressId,
      status: OrderStatus.AWAITING_SHIPMENT,
      addressChangedAfterCheckout: order.addressChangedAfterCheckout,
    });
    await manager.insert(Order, row);
    await insertItems(manager, row.id, order);
    const [assessed] = await assessOrders(manager, { id: row.id }, now);
    return { outcome: ImportOutcome.CREATED, order: row, assessment: assessed.assessment };
  }

  if (existing.sellerId !== order.sellerId || existing.buyerId !== order.buyerId) {
    fail(
      UserErrorCode.INVALID_INPUT,
      'An imported order keeps its seller and buyer; import a new order instead',
      field(index, existing.sellerId !== order.sellerId ? 'sellerId' : 'buyerId'),
    );
  }
  if (existing.status !== OrderStatus.AWAITING_SHIPMENT) {
    fail(
      existing.status === OrderStatus.CANCELLED
        ? UserErrorCode.ORDER_NOT_SHIPPABLE
        : UserErrorCode.ORDER_ALREADY_LABELED,
      `The order is ${existing.status.toLowerCase().replace(/_/g, ' ')}; it can no longer change`,
      field(index),
    );
  }
  // One after another: a transaction's connection runs one query at a time.
  const oldShipTo = await manager.findOneByOrFail(Address, { id: existing.shipToAddressId });
  const oldBilling = await manager.findOneByOrFail(Address, { id: existing.billingAddressId });
  const shipToChanged = !sameAddress(oldShipTo, order.shipTo);
  const shipToAddressId = shipToChanged
    ? await insertAddress(manager, order.shipTo)
    : existing.shipToAddressId;
  const billingAddressId = sameAddress(oldBilling, order.billingAddress)
    ? existing.billingAddressId
    : sameAddress(order.shipTo, order.billingAddress)
      ? shipToAddressId
      : await insertAddress(manager, order.billingAddress);
  await manager.update(
    Order,
    { id: existing.id },
    {
      ...columns,
      shipToAddressId,
      billingAddressId,
      // Once changed after checkout, always: the platform's flag or our own observation.
      addressChangedAfterCheckout:
        existing.addressChangedAfterCheckout || shipToChanged || order.addressChangedAfterCheckout,
    },
  );
  await manager.delete(LineItem, { orderId: existing.id });
  await insertItems(manager, existing.id, order);
  const [assessed] = await assessOrders(manager, { id: existing.id }, now);
  const updated = await manager.findOneByOrFail(Order, { id: existing.id });
  return { outcome: ImportOutcome.UPDATED, order: updated, assessment: assessed.assessment };
}

/**
 * A platform change to a stored order (a hold, its release, a cancellation, a new ship-to), and
 * the order's reassessment, on the caller's manager (inside its transaction).
 */
export async function changeOrder(
  manager: EntityManager,
  orderId: number,
  columns: Partial<Order>,
  now: Date,
): Promise<RiskAssessment> {
  await manager.update(Order, { id: orderId }, { ...columns, updatedAt: now });
  const [assessed] = await assessOrders(manager, { id: orderId }, now);
  return assessed.assessment;
}
