import { addressFingerprint } from '../../core/address-fingerprint';
import { Problems } from '../../core/postal-address';
import type { PostalAddress, PostalAddressInput } from '../../core/postal-address';
import { globalIdOf } from '../../core/global-id';
import { UserErrorCode, fail, userError } from '../../core/user-error';
import type { UserError } from '../../core/user-error';
import { ShippingSpeed } from '../../entities/enums';

/** Orders per importOrders call or webhook body. */
export const MAX_IMPORT_ORDERS = 100;
/** Line items per order. */
export const MAX_LINE_ITEMS = 100;
/** Currencies an order may be in: the risk thresholds and the carrier rates are in USD. */
export const IMPORT_CURRENCIES = ['USD'] as const;
import { PARCEL_LIMITS } from '../label-quote.service';

/** A quote takes the same parcels (UPS's 150 lb and 108 in per side). */
const MAX_WEIGHT_OZ = PARCEL_LIMITS.weightOz;
const MAX_SIDE_IN = PARCEL_LIMITS.sideIn;

/** A postal address as imported, checked and trimmed (the stored row without its fingerprint). */
export type AddressInput = Omit<PostalAddress, 'fingerprint'>;

export interface LineItemInput {
  sku: string;
  title: string;
  quantity: number;
  unitPriceMinor: number;
  category: string;
  ageRestricted: boolean;
}

/** One order as the platform sent it, validated: what the writer stores and the digest covers. */
export interface ImportedOrder {
  externalId: string;
  number: string;
  sellerId: number;
  buyerId: number;
  currency: string;
  lineItems: LineItemInput[];
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
  shippingSpeed: ShippingSpeed;
  shipTo: AddressInput;
  billingAddress: AddressInput;
  placedAt: Date;
  parcel: { weightOz: number; lengthIn: number; widthIn: number; heightIn: number };
  onHold: boolean;
  addressChangedAfterCheckout: boolean;
}

/** A source names the marketplace or channel: letters, digits and `._-`, up to 40. */
const SOURCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

export function sourceProblem(source: unknown): UserError | null {
  return typeof source === 'string' && SOURCE_PATTERN.test(source)
    ? null
    : userError(
        UserErrorCode.INVALID_INPUT,
        'source must be 1 to 40 letters, digits, ".", "_" or "-", starting with a letter or digit',
        ['source'],
      );
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Collects the problems of one order: each names its path from the batch, e.g.
 * `orders.3.lineItems.0.quantity`, so a platform can fix exactly that field.
 */
class Checker {
  readonly errors: UserError[] = [];
  constructor(readonly base: string[]) {}

  problem(path: (string | number)[], message: string, code = UserErrorCode.INVALID_INPUT): void {
    this.errors.push(userError(code, message, [...this.base, ...path.map(String)]));
  }

  text(obj: Obj, path: (string | number)[], max: number, optional = false): string | null {
    const key = path[path.length - 1];
    const raw = obj[key];
    if (optional && (raw === undefined || raw === null || raw === '')) return null;
    if (typeof raw !== 'string' || raw.trim().length === 0 || raw.trim().length > max) {
      this.problem(path, `${key} must be text of 1 to ${max} characters`);
      return null;
    }
    // Control characters would end up on a label or in an e-mail.
    if ([...raw].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) {
      this.problem(path, `${key} must not contain control characters`);
      return null;
    }
    return raw.trim().replace(/\s+/g, ' ');
  }

  int(obj: Obj, path: (string | number)[], min: number, max: number): number | null {
    const key = path[path.length - 1];
    const raw = obj[key];
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
      this.problem(path, `${key} must be a whole number from ${min} to ${max}`);
      return null;
    }
    return raw;
  }

  flag(obj: Obj, path: (string | number)[]): boolean | null {
    const key = path[path.length - 1];
    const raw = obj[key];
    if (raw === undefined || raw === null) return false;
    if (typeof raw !== 'boolean') {
      this.problem(path, `${key} must be true or false`);
      return null;
    }
    return raw;
  }

  id(obj: Obj, path: (string | number)[], type: 'Seller' | 'Buyer'): number | null {
    const key = path[path.length - 1];
    const raw = obj[key];
    const id = typeof raw === 'string' ? globalIdOf(raw, type) : null;
    if (id === null)
      this.problem(path, `${key} is not a valid ${type} id`, UserErrorCode.INVALID_ID);
    return id;
  }

  /**
   * A full postal address, checked by the product's one address validator (core/postal-address)
   * once its fields are known to be text.
   */
  address(obj: Obj, key: string): AddressInput | null {
    const raw = obj[key];
    if (!isObj(raw)) {
      this.problem([key], `${key} must be a postal address`);
      return null;
    }
    const before = this.errors.length;
    for (const name of ['name', 'line1', 'city', 'region', 'postalCode', 'country']) {
      if (typeof raw[name] !== 'string') this.problem([key, name], `${name} must be text`);
    }
    for (const name of ['company', 'line2']) {
      const value = raw[name];
      if (value !== undefined && value !== null && typeof value !== 'string') {
        this.problem([key, name], `${name} must be text`);
      }
    }
    if (this.errors.length > before) return null;
    const problems = new Problems();
    const { fingerprint: _f, ...address } = problems.address(raw as unknown as PostalAddressInput, [
      ...this.base,
      key,
    ]);
    this.errors.push(...problems.list);
    return problems.list.length > 0 ? null : address;
  }
}

function lineItems(c: Checker, order: Obj, currency: string | null): LineItemInput[] | null {
  const raw = order.lineItems;
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_LINE_ITEMS) {
    c.problem(['lineItems'], `lineItems must list 1 to ${MAX_LINE_ITEMS} items`);
    return null;
  }
  const before = c.errors.length;
  const items = raw.map((item: unknown, i): LineItemInput | null => {
    if (!isObj(item)) {
      c.problem(['lineItems', i], 'a line item must be an object');
      return null;
    }
    const path = (key: string) => ['lineItems', i, key];
    const sku = c.text(item, path('sku'), 64);
    const title = c.text(item, path('title'), 200);
    const quantity = c.int(item, path('quantity'), 1, 10_000);
    const unitPriceMinor = c.int(item, path('unitPriceMinor'), 0, 100_000_000);
    const category = c.text(item, path('category'), 60);
    const ageRestricted = c.flag(item, path('ageRestricted'));
    if (item.currency !== undefined && item.currency !== null && item.currency !== currency) {
      c.problem(path('currency'), "a line item's currency must be the order's");
    }
    if (sku === null || title === null || quantity === null || unitPriceMinor === null) return null;
    if (category === null || ageRestricted === null) return null;
    return { sku, title, quantity, unitPriceMinor, category, ageRestricted };
  });
  return c.errors.length > before ? null : (items as LineItemInput[]);
}

const MONEY_MAX = 2_000_000_000;

/**
 * Validates one order of a batch, whatever arrived (GraphQL input or a webhook's JSON):
 * shapes, ranges, addresses, and money that adds up (subtotal = Σ quantity × unit price,
 * total = subtotal + shipping + tax). Returns the order or every problem found, never throws.
 */
export function validateOrder(
  raw: unknown,
  index: number,
): { order: ImportedOrder; errors: [] } | { order: null; errors: UserError[] } {
  const c = new Checker(['orders', String(index)]);
  if (!isObj(raw)) {
    c.problem([], 'an order must be an object');
    return { order: null, errors: c.errors };
  }
  const externalId = c.text(raw, ['externalId'], 64);
  const number = c.text(raw, ['number'], 40);
  const sellerId = c.id(raw, ['sellerId'], 'Seller');
  const buyerId = c.id(raw, ['buyerId'], 'Buyer');
  let currency = typeof raw.currency === 'string' ? raw.currency.trim().toUpperCase() : null;
  if (!currency || !(IMPORT_CURRENCIES as readonly string[]).includes(currency)) {
    c.problem(
      ['currency'],
      `currency must be one of ${IMPORT_CURRENCIES.join(', ')}`,
      UserErrorCode.CURRENCY_NOT_SUPPORTED,
    );
    currency = null;
  }
  const items = lineItems(c, raw, currency);
  const subtotalMinor = c.int(raw, ['subtotalMinor'], 0, MONEY_MAX);
  const shippingMinor = c.int(raw, ['shippingMinor'], 0, MONEY_MAX);
  const taxMinor = c.int(raw, ['taxMinor'], 0, MONEY_MAX);
  const totalMinor = c.int(raw, ['totalMinor'], 0, MONEY_MAX);
  if (items && subtotalMinor !== null) {
    const sum = items.reduce((s, i) => s + i.quantity * i.unitPriceMinor, 0);
    if (sum !== subtotalMinor) {
      c.problem(['subtotalMinor'], `subtotalMinor must be the sum of the line items (${sum})`);
    }
  }
  if (
    subtotalMinor !== null &&
    shippingMinor !== null &&
    taxMinor !== null &&
    totalMinor !== null
  ) {
    const sum = subtotalMinor + shippingMinor + taxMinor;
    if (sum !== totalMinor) {
      c.problem(['totalMinor'], `totalMinor must be subtotal + shipping + tax (${sum})`);
    }
  }
  const speed = raw.shippingSpeed;
  if (typeof speed !== 'string' || !(Object.values(ShippingSpeed) as string[]).includes(speed)) {
    c.problem(
      ['shippingSpeed'],
      `shippingSpeed must be one of ${Object.values(ShippingSpeed).join(', ')}`,
    );
  }
  const shipTo = c.address(raw, 'shipTo');
  const billingAddress = c.address(raw, 'billingAddress');
  const placedAt =
    typeof raw.placedAt === 'string' || raw.placedAt instanceof Date
      ? new Date(raw.placedAt)
      : null;
  if (
    !placedAt ||
    Number.isNaN(placedAt.getTime()) ||
    placedAt.getUTCFullYear() < 2000 ||
    placedAt.getUTCFullYear() > 9999
  ) {
    c.problem(['placedAt'], 'placedAt must be an ISO-8601 date and time');
  }
  const parcelRaw = raw.parcel;
  let parcel: ImportedOrder['parcel'] | null = null;
  if (!isObj(parcelRaw))
    c.problem(['parcel'], 'parcel must give weightOz, lengthIn, widthIn and heightIn');
  else {
    const weightOz = c.int(parcelRaw, ['parcel', 'weightOz'], 1, MAX_WEIGHT_OZ);
    const lengthIn = c.int(parcelRaw, ['parcel', 'lengthIn'], 1, MAX_SIDE_IN);
    const widthIn = c.int(parcelRaw, ['parcel', 'widthIn'], 1, MAX_SIDE_IN);
    const heightIn = c.int(parcelRaw, ['parcel', 'heightIn'], 1, MAX_SIDE_IN);
    if (weightOz && lengthIn && widthIn && heightIn)
      parcel = { weightOz, lengthIn, widthIn, heightIn };
  }
  const onHold = c.flag(raw, ['onHold']);
  const addressChangedAfterCheckout = c.flag(raw, ['addressChangedAfterCheckout']);
  if (c.errors.length > 0) return { order: null, errors: c.errors };
  return {
    order: {
      externalId: externalId!,
      number: number!,
      sellerId: sellerId!,
      buyerId: buyerId!,
      currency: currency!,
      lineItems: items!,
      subtotalMinor: subtotalMinor!,
      shippingMinor: shippingMinor!,
      taxMinor: taxMinor!,
      totalMinor: totalMinor!,
      shippingSpeed: speed as ShippingSpeed,
      shipTo: shipTo!,
      billingAddress: billingAddress!,
      placedAt: placedAt!,
      parcel: parcel!,
      onHold: onHold!,
      addressChangedAfterCheckout: addressChangedAfterCheckout!,
    },
    errors: [],
  };
}

/** Whether two addresses deliver to the same place and person. */
export function sameAddress(a: AddressInput, b: AddressInput): boolean {
  return (
    a.name === b.name &&
    (a.company ?? null) === (b.company ?? null) &&
    addressFingerprint(a) === addressFingerprint(b)
  );
}

/** A ship-to on its own (changeOrderShipTo), checked as an import's; problems are raised. */
export function validateShipTo(raw: unknown, field: string[]): AddressInput {
  const c = new Checker(field.slice(0, -1));
  const address = c.address({ [field[field.length - 1]]: raw }, field[field.length - 1]);
  if (!address) fail(c.errors);
  return address;
}
