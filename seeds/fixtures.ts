import { OrderStatus, ShippingSpeed } from '../src/entities/enums';
import { addressFingerprint } from '../src/core/address-fingerprint';
import type { UpsertSellerInput } from '../src/services/seller-intake';
import { BUYER_SEEDS, PLACES, SELLER_SEEDS, buyerEmail } from './people';
import type { BuyerSeed, Place } from './people';
import { PRODUCTS, packParcel, product } from './products';
import type { Product } from './products';
import { EVERYDAY_ORDERS_PER_SELLER, SCENARIOS } from './scenarios';
import type { Scenario, SeedSignal } from './scenarios';

export { RESHIPPER_MARKERS, matchReshipper } from './reshippers';
export type { ReshipperMarker } from './reshippers';
export { SEED_SIGNALS, SCENARIOS } from './scenarios';
export type { SeedSignal } from './scenarios';

/**
 * Deterministic demo data: the same reference date always yields the same rows, so tests,
 * screenshots and the risk engine's expectations stay stable. Every date is an offset from the
 * reference date, so seeding "today" keeps young accounts young.
 */
export const SEED_NOW = new Date('2026-11-20T12:00:00.000Z');

export const SEED_CURRENCY = 'USD';

/** A seller as the marketplace sends it to upsertSeller, and when its account opened. */
export interface SellerFixture extends UpsertSellerInput {
  createdAt: Date;
}

export interface BuyerFixture {
  name: string;
  email: string;
  phone: string | null;
  createdAt: Date;
}

export interface AddressFixture {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  fingerprint: string;
}

export interface LineItemFixture {
  sku: string;
  title: string;
  quantity: number;
  unitPriceMinor: number;
  category: string;
  ageRestricted: boolean;
}

export interface OrderFixture {
  number: string;
  /** Indexes into the fixture's sellers, buyers and addresses. */
  sellerIndex: number;
  buyerIndex: number;
  shipToIndex: number;
  billingIndex: number;
  status: OrderStatus;
  currency: string;
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
  shippingSpeed: ShippingSpeed;
  addressChangedAfterCheckout: boolean;
  onHold: boolean;
  parcelWeightOz: number;
  parcelLengthIn: number;
  parcelWidthIn: number;
  parcelHeightIn: number;
  placedAt: Date;
  updatedAt: Date;
  items: LineItemFixture[];
  /** Scenario key from scenarios.ts; null for generated everyday orders. */
  scenario: string | null;
  /** Signals the order was written to exhibit (with the default thresholds). */
  signals: readonly SeedSignal[];
}

export interface SeedFixtures {
  now: Date;
  sellers: SellerFixture[];
  buyers: BuyerFixture[];
  addresses: AddressFixture[];
  orders: OrderFixture[];
}

/** mulberry32: a tiny seeded PRNG, so "random" variety is the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Combined state + typical local sales-tax rate, basis points (plausible, not authoritative). */
// prettier-ignore
const TAX_BPS: Record<string, number> = {
  AZ: 560, CA: 725, CO: 290, DC: 600, DE: 0, FL: 600, GA: 400, IL: 625, MA: 625, MI: 600,
  MN: 688, NC: 475, NJ: 663, NV: 685, NY: 400, OH: 575, OK: 450, OR: 0, PA: 600, TX: 625,
  UT: 610, VA: 530, WA: 650,
};

/** What the buyer paid for shipping: free standard shipping from USD 50. */
function shippingCharge(speed: ShippingSpeed, subtotalMinor: number): number {
  if (speed === ShippingSpeed.OVERNIGHT) return 3499;
  if (speed === ShippingSpeed.EXPEDITED) return 1499;
  return subtotalMinor >= 5000 ? 0 : 599;
}

function taxOn(region: string, amountMinor: number): number {
  const bps = TAX_BPS[region];
  if (bps === undefined) throw new Error(`No seed tax rate for ${region}`);
  return Math.round((amountMinor * bps) / 10_000);
}

interface Draft {
  sellerIndex: number;
  buyerIndex: number;
  shipToIndex: number;
  billingIndex: number;
  items: { product: Product; quantity: number }[];
  speed: ShippingSpeed;
  placedAt: Date;
  addressChanged: boolean;
  onHold: boolean;
  cancelled: boolean;
  scenario: string | null;
  signals: readonly SeedSignal[];
}

/** Address rows, one per recipient and place; homes first, in buyer order. */
class AddressBook {
  readonly rows: AddressFixture[] = [];
  private readonly index = new Map<string, number>();

  use(recipient: string, place: Place): number {
    const parts = { ...place, line2: place.line2 ?? null, country: 'US' };
    const fingerprint = addressFingerprint(parts);
    const key = `${recipient}|${fingerprint}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.rows.push({ name: recipient, ...parts, fingerprint }) - 1;
      this.index.set(key, i);
    }
    return i;
  }
}

function toOrder(draft: Draft, book: AddressBook, now: Date): Omit<OrderFixture, 'number'> {
  const items = draft.items.map(({ product: p, quantity }) => ({
    sku: p.sku,
    title: p.title,
    quantity,
    unitPriceMinor: p.unitPriceMinor,
    category: p.category,
    ageRestricted: p.ageRestricted,
  }));
  const subtotalMinor = items.reduce((sum, i) => sum + i.quantity * i.unitPriceMinor, 0);
  const shippingMinor = shippingCharge(draft.speed, subtotalMinor);
  // Tax follows the destination and, as in most US states, covers the shipping charge too.
  const taxMinor = taxOn(book.rows[draft.shipToIndex].region, subtotalMinor + shippingMinor);
  const parcel = packParcel(draft.items);
  // Later platform changes move updatedAt: the edit, the hold, the cancellation.
  const laterHours = Math.max(
    draft.addressChanged ? 5 : 0,
    draft.onHold ? 2 : 0,
    draft.cancelled ? 3 : 0,
  );
  const updatedAt = new Date(
    Math.min(draft.placedAt.getTime() + laterHours * HOUR_MS, now.getTime()),
  );
  return {
    sellerIndex: draft.sellerIndex,
    buyerIndex: draft.buyerIndex,
    shipToIndex: draft.shipToIndex,
    billingIndex: draft.billingIndex,
    status: draft.cancelled ? OrderStatus.CANCELLED : OrderStatus.AWAITING_SHIPMENT,
    currency: SEED_CURRENCY,
    subtotalMinor,
    shippingMinor,
    taxMinor,
    totalMinor: subtotalMinor + shippingMinor + taxMinor,
    shippingSpeed: draft.speed,
    addressChangedAfterCheckout: draft.addressChanged,
    onHold: draft.onHold,
    parcelWeightOz: parcel.weightOz,
    parcelLengthIn: parcel.lengthIn,
    parcelWidthIn: parcel.widthIn,
    parcelHeightIn: parcel.heightIn,
    placedAt: draft.placedAt,
    updatedAt,
    items,
    scenario: draft.scenario,
    signals: draft.signals,
  };
}

/** Whole minutes before `now`, so timestamps read naturally. */
const hoursBefore = (now: Date, hours: number): Date =>
  new Date(now.getTime() - Math.round(hours * 60) * 60_000);

function scenarioDraft(
  s: Scenario,
  book: AddressBook,
  buyers: readonly BuyerSeed[],
  now: Date,
): Draft {
  const buyerIndex = buyers.findIndex((b) => b.key === s.buyer);
  if (buyerIndex < 0) throw new Error(`Scenario ${s.key}: unknown buyer ${s.buyer}`);
  const buyer = buyers[buyerIndex];
  const billingIndex = book.use(buyer.name, buyer.home);
  const shipToIndex = s.shipTo
    ? book.use(s.shipTo.recipient ?? buyer.name, PLACES[s.shipTo.place])
    : billingIndex;
  return {
    sellerIndex: s.sellerIndex,
    buyerIndex,
    shipToIndex,
    billingIndex,
    items: s.items.map(([sku, quantity]) => ({ product: product(sku), quantity })),
    speed: s.speed ?? ShippingSpeed.STANDARD,
    placedAt: hoursBefore(now, s.hoursAgo),
    addressChanged: s.addressChanged ?? false,
    onHold: s.onHold ?? false,
    cancelled: s.cancelled ?? false,
    scenario: s.key,
    signals: s.signals,
  };
}

/** Subtotal band of an everyday order: USD 15 – 110, so the total stays near USD 15 – 120. */
const EVERYDAY_MIN_MINOR = 1500;
const EVERYDAY_MAX_MINOR = 11000;

/** Low-risk orders: an established buyer, 1–3 everyday products, standard shipping to home. */
function everydayDrafts(sellerIndex: number, count: number, book: AddressBook, now: Date): Draft[] {
  // One stream per seller: adding a scenario or a seller leaves the others' orders unchanged.
  const random = mulberry32(0xc0ffee + sellerIndex * 7919);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const shelf = PRODUCTS[sellerIndex].filter((p) => p.everyday);
  const buyers = BUYER_SEEDS.map((b, i) => ({ b, i })).filter(({ b }) => b.everyday);
  const drafts: Draft[] = [];
  while (drafts.length < count) {
    const chosen = new Map<string, { product: Product; quantity: number }>();
    const lines = 1 + Math.floor(random() * 3);
    while (chosen.size < lines) {
      const p = pick(shelf);
      chosen.set(p.sku, { product: p, quantity: random() < 0.2 ? 2 : 1 });
    }
    const items = [...chosen.values()];
    const subtotal = items.reduce(
      (s, { product: p, quantity }) => s + p.unitPriceMinor * quantity,
      0,
    );
    const { b, i } = pick(buyers);
    // Drawn even when the basket is rejected, so each attempt consumes the same randomness.
    const hoursAgo = 3 + random() * 14 * 24;
    if (subtotal < EVERYDAY_MIN_MINOR || subtotal > EVERYDAY_MAX_MINOR) continue;
    const home = book.use(b.name, b.home);
    drafts.push({
      sellerIndex,
      buyerIndex: i,
      shipToIndex: home,
      billingIndex: home,
      items,
      speed: ShippingSpeed.STANDARD,
      placedAt: hoursBefore(now, hoursAgo),
      addressChanged: false,
      onHold: false,
      cancelled: false,
      scenario: null,
      signals: [],
    });
  }
  return drafts;
}

/** Builds the whole data set for a reference date; pure and deterministic. */
export function buildFixtures(now: Date = SEED_NOW): SeedFixtures {
  const sellers = SELLER_SEEDS.map((s): SellerFixture => ({
    externalId: s.externalId,
    name: s.name,
    shipFromLocations: s.locations.map((l) => ({
      key: l.key,
      name: l.name,
      address: { name: s.name, ...l.place, country: 'US' },
      phone: l.phone,
      isDefault: l.isDefault,
    })),
    createdAt: new Date(now.getTime() - s.accountAgeDays * DAY_MS),
  }));
  const buyers = BUYER_SEEDS.map((b) => ({
    name: b.name,
    email: buyerEmail(b.name),
    phone: b.phone,
    createdAt: new Date(now.getTime() - b.accountAgeDays * DAY_MS),
  }));

  const book = new AddressBook();
  for (const b of BUYER_SEEDS) book.use(b.name, b.home);
  const drafts = [
    ...SCENARIOS.map((s) => scenarioDraft(s, book, BUYER_SEEDS, now)),
    ...EVERYDAY_ORDERS_PER_SELLER.flatMap((count, i) => everydayDrafts(i, count, book, now)),
  ];
  for (const d of drafts) {
    if (d.placedAt < buyers[d.buyerIndex].createdAt) {
      throw new Error(`Seed order ${d.scenario ?? '(everyday)'} is older than its buyer's account`);
    }
  }

  // Numbers follow time, as a marketplace would issue them; the sort is stable for ties.
  const orders = drafts
    .map((d) => toOrder(d, book, now))
    .sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime())
    .map((o, i) => ({ number: `CS-${100001 + i}`, ...o }));

  return { now, sellers, buyers, addresses: book.rows, orders };
}
