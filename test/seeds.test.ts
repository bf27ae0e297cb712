import type { DataSource } from 'typeorm';
import { hashToken } from '../src/auth/token-hash';
import { createDataSource } from '../src/db/data-source';
import {
  Address,
  ApiToken,
  Buyer,
  CarrierService,
  Claim,
  ClaimTransition,
  LineItem,
  Order,
  Seller,
  ShipFromLocation,
  ServiceSignatureOption,
  SignatureTerms,
} from '../src/entities';
import { OrderStatus, Role, ShippingSpeed, SignatureOption } from '../src/entities/enums';
import { CARRIER_CATALOG } from '../src/reference/carrier-catalog';
import { devToken } from '../seeds/dev-tokens';
import { addressFingerprint } from '../src/core/address-fingerprint';
import { SEED_NOW, SEED_SIGNALS, buildFixtures, matchReshipper } from '../seeds/fixtures';
import { BUYER_SEEDS } from '../seeds/people';
import type { SeedSignal } from '../seeds/fixtures';
import { isEmpty, seedDatabase } from '../seeds/seed';
import type { SeedSummary } from '../seeds/seed';
import { SIGNATURE_TERMS_VERSION } from '../src/reference/signature-terms';

// The default risk thresholds (src/services/risk/settings.ts), used to read the data, not to score it.
const HIGH_MINOR = 75_000;
const ELEVATED_MINOR = 25_000;
const NEW_ACCOUNT_MS = 30 * 24 * 3_600_000;

async function freshDatabase(): Promise<DataSource> {
  const ds = createDataSource({ url: ':memory:' });
  await ds.initialize();
  await ds.runMigrations();
  return ds;
}

type LoadedOrder = Order & { buyer: Buyer; shipToAddress: Address; billingAddress: Address };

/**
 * Today's seeded orders and their items, without the claim history (past delivered orders of
 * seeds/claims.ts), and the buyers who filed claims.
 */
async function loadOrders(
  ds: DataSource,
): Promise<{ orders: LoadedOrder[]; items: LineItem[]; claimants: Set<number> }> {
  const claims = await ds.manager.find(Claim);
  const history = new Set(claims.map((c) => c.orderId));
  const orders = (
    (await ds.manager.find(Order, {
      relations: { buyer: true, shipToAddress: true, billingAddress: true },
      order: { id: 'ASC' },
    })) as LoadedOrder[]
  ).filter((o) => !history.has(o.id));
  const items = (await ds.manager.find(LineItem, { order: { id: 'ASC' } })).filter(
    (i) => !history.has(i.orderId),
  );
  return { orders, items, claimants: new Set(claims.map((c) => c.buyerId)) };
}

/** What each stored order shows, read with the default thresholds. */
function observedSignals(
  orders: LoadedOrder[],
  items: LineItem[],
  claimants: Set<number>,
): Map<string, Set<SeedSignal>> {
  const buyersAt = new Map<string, Set<number>>();
  for (const o of orders) {
    const set = buyersAt.get(o.shipToAddress.fingerprint) ?? new Set<number>();
    buyersAt.set(o.shipToAddress.fingerprint, set.add(o.buyerId));
  }
  const result = new Map<string, Set<SeedSignal>>();
  for (const o of orders) {
    const isNew = SEED_NOW.getTime() - o.buyer.createdAt.getTime() < NEW_ACCOUNT_MS;
    const checks: [SeedSignal, boolean][] = [
      ['AGE_RESTRICTED_ITEM', items.some((i) => i.orderId === o.id && i.ageRestricted)],
      ['ORDER_VALUE_HIGH', o.totalMinor >= HIGH_MINOR],
      ['ORDER_VALUE_ELEVATED', o.totalMinor >= ELEVATED_MINOR && o.totalMinor < HIGH_MINOR],
      ['PRIOR_NOT_RECEIVED_CLAIMS', claimants.has(o.buyerId)],
      ['ADDRESS_CHANGED_AFTER_CHECKOUT', o.addressChangedAfterCheckout],
      ['PLATFORM_HOLD', o.onHold],
      ['NEW_BUYER_LARGE_ORDER', isNew && o.totalMinor >= ELEVATED_MINOR],
      ['SHARED_SHIP_TO', buyersAt.get(o.shipToAddress.fingerprint)!.size >= 3],
      ['RESHIPPER_ADDRESS', matchReshipper(o.shipToAddress) !== null],
      ['RUSH_SHIPPING_NEW_ACCOUNT', isNew && o.shippingSpeed !== ShippingSpeed.STANDARD],
      ['BILLING_SHIPPING_MISMATCH', o.shipToAddress.region !== o.billingAddress.region],
    ];
    result.set(o.number, new Set(checks.filter(([, on]) => on).map(([code]) => code)));
  }
  return result;
}

describe('seedDatabase', () => {
  let ds: DataSource;
  let summary: SeedSummary;
  let orders: LoadedOrder[];
  let items: LineItem[];
  let claimants: Set<number>;

  beforeAll(async () => {
    ds = await freshDatabase();
    expect(await isEmpty(ds.manager)).toBe(true);
    summary = await seedDatabase(ds.manager);
    ({ orders, items, claimants } = await loadOrders(ds));
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('fills the database and reports what it inserted', async () => {
    expect(await isEmpty(ds.manager)).toBe(false);
    const m = ds.manager;
    expect(summary.counts).toEqual({
      carrierServices: await m.count(CarrierService),
      signatureOptions: await m.count(ServiceSignatureOption),
      signatureTerms: await m.count(SignatureTerms),
      sellers: await m.count(Seller),
      shipFromLocations: await m.count(ShipFromLocation),
      buyers: await m.count(Buyer),
      addresses: await m.count(Address),
      orders: await m.count(Order),
      lineItems: await m.count(LineItem),
      apiTokens: await m.count(ApiToken),
      claims: await m.count(Claim),
    });
    expect(summary.counts.sellers).toBe(3);
    // Every seller ships from a full address: its default location.
    for (const seller of await m.find(Seller)) {
      const home = await m.findOneByOrFail(ShipFromLocation, {
        sellerId: seller.id,
        isDefault: true,
      });
      expect(await m.findOneByOrFail(Address, { id: home.addressId })).toMatchObject({
        line1: expect.stringMatching(/\S/),
        city: expect.stringMatching(/\S/),
        region: expect.stringMatching(/^[A-Z]{2}$/),
        postalCode: expect.stringMatching(/^\d{5}$/),
        country: 'US',
      });
      expect(home.phone).toMatch(/^\+1\d{10}$/);
    }
    expect(summary.counts.buyers).toBeGreaterThanOrEqual(24);
    expect(summary.counts.orders).toBeGreaterThanOrEqual(64);
    expect(summary.counts.carrierServices).toBe(9);
    expect(summary.counts.signatureOptions).toBe(27);
    expect(await m.findOneBy(SignatureTerms, { version: SIGNATURE_TERMS_VERSION })).not.toBeNull();
  });

  it('keeps money exact: total = subtotal + shipping + tax, subtotal = sum of the lines', () => {
    for (const o of orders) {
      const lines = items.filter((i) => i.orderId === o.id);
      expect(lines.length).toBeGreaterThan(0);
      expect(o.subtotalMinor).toBe(lines.reduce((s, i) => s + i.quantity * i.unitPriceMinor, 0));
      expect(o.totalMinor).toBe(o.subtotalMinor + o.shippingMinor + o.taxMinor);
      for (const n of [o.subtotalMinor, o.shippingMinor, o.taxMinor, o.totalMinor]) {
        expect(Number.isInteger(n)).toBe(true);
      }
      expect(o.currency).toBe('USD');
    }
  });

  it('numbers orders CS-100001… in time order, mostly awaiting shipment', () => {
    const byNumber = [...orders].sort((a, b) => a.number.localeCompare(b.number));
    expect(byNumber[0].number).toBe('CS-100001');
    for (let i = 1; i < byNumber.length; i++) {
      expect(byNumber[i].placedAt.getTime()).toBeGreaterThanOrEqual(
        byNumber[i - 1].placedAt.getTime(),
      );
    }
    const cancelled = orders.filter((o) => o.status === OrderStatus.CANCELLED).length;
    expect(cancelled).toBeGreaterThanOrEqual(2);
    expect(orders.length - cancelled).toBe(
      orders.filter((o) => o.status === OrderStatus.AWAITING_SHIPMENT).length,
    );
  });

  it('places orders after the buyer opened the account and before the reference date', () => {
    for (const o of orders) {
      expect(o.placedAt.getTime()).toBeGreaterThanOrEqual(o.buyer.createdAt.getTime());
      expect(o.placedAt.getTime()).toBeLessThan(SEED_NOW.getTime());
      expect(o.updatedAt.getTime()).toBeGreaterThanOrEqual(o.placedAt.getTime());
      expect(o.updatedAt.getTime()).toBeLessThanOrEqual(SEED_NOW.getTime());
    }
  });

  it('gives each order a plausible default parcel', () => {
    for (const o of orders) {
      expect(o.parcelWeightOz).toBeGreaterThan(0);
      expect(o.parcelWeightOz).toBeLessThan(70 * 16);
      const dims = [o.parcelLengthIn, o.parcelWidthIn, o.parcelHeightIn];
      for (const d of dims) expect(d).toBeGreaterThan(0);
      expect(o.parcelLengthIn).toBeLessThanOrEqual(108);
    }
  });

  it('stores address fingerprints made by addressFingerprint', async () => {
    for (const a of await ds.manager.find(Address))
      expect(a.fingerprint).toBe(addressFingerprint(a));
  });

  it('contains every risk signal, as its scenario tags say, and nothing else', () => {
    const observed = observedSignals(orders, items, claimants);
    const tagged = new Map(buildFixtures(SEED_NOW).orders.map((o) => [o.number, o.signals]));
    for (const o of orders) {
      expect({ order: o.number, signals: [...observed.get(o.number)!].sort() }).toEqual({
        order: o.number,
        signals: [...tagged.get(o.number)!].sort(),
      });
    }
    for (const code of SEED_SIGNALS) {
      expect([code, orders.some((o) => observed.get(o.number)!.has(code))]).toEqual([code, true]);
    }
  });

  it('builds the claim history through the claim rules: every prior claim filed and closed', async () => {
    const claims = await ds.manager.find(Claim, { order: { id: 'ASC' } });
    const prior = BUYER_SEEDS.reduce((n, b) => n + b.priorClaims, 0);
    expect(prior).toBeGreaterThan(0);
    expect(claims).toHaveLength(prior);
    for (const claim of claims) {
      expect(claim.closedAt).not.toBeNull();
      expect(claim.refundMinor).toBeGreaterThan(0);
      expect(claim.evidence.defenceExclusions).toContain('NO_SIGNATURE_BOUGHT');
      const moves = await ds.manager.find(ClaimTransition, {
        where: { claimId: claim.id },
        order: { id: 'ASC' },
      });
      expect(moves.map((t) => [t.fromStatus, t.actor])).toEqual([
        [null, 'BUYER'],
        ['AWAITING_SELLER', expect.stringMatching(/^(SELLER|ADMIN)$/)],
      ]);
    }
  });

  it('has the named scenarios', () => {
    const totals = orders.map((o) => o.totalMinor);
    expect(totals.some((t) => t >= HIGH_MINOR)).toBe(true);
    expect(items.some((i) => i.ageRestricted && i.category === 'wine')).toBe(true);
    expect(items.some((i) => i.ageRestricted && i.category === 'vape')).toBe(true);
    const buyersAt = new Map<string, Set<number>>();
    for (const o of orders) {
      const set = buyersAt.get(o.shipToAddress.fingerprint) ?? new Set<number>();
      buyersAt.set(o.shipToAddress.fingerprint, set.add(o.buyerId));
    }
    expect(Math.max(...[...buyersAt.values()].map((s) => s.size))).toBeGreaterThanOrEqual(4);
    const isNew = (o: LoadedOrder) =>
      SEED_NOW.getTime() - o.buyer.createdAt.getTime() < NEW_ACCOUNT_MS;
    expect(orders.some((o) => isNew(o) && o.shippingSpeed === ShippingSpeed.OVERNIGHT)).toBe(true);
    expect(orders.some((o) => o.shipToAddress.line2 === 'Suite 4410 #CS-88231')).toBe(true);
  });

  it('gives every seller at least 15 orders, both everyday and risky', () => {
    const observed = observedSignals(orders, items, claimants);
    for (const seller of [1, 2, 3]) {
      const mine = orders.filter((o) => o.sellerId === seller);
      expect(mine.length).toBeGreaterThanOrEqual(15);
      expect(mine.filter((o) => observed.get(o.number)!.size === 0).length).toBeGreaterThanOrEqual(
        8,
      );
      expect(mine.filter((o) => observed.get(o.number)!.size >= 2).length).toBeGreaterThanOrEqual(
        2,
      );
    }
  });

  it('keeps everyday orders ordinary: USD 15–120, standard shipping, billing = ship-to', () => {
    const everyday = buildFixtures(SEED_NOW).orders.filter((o) => o.scenario === null);
    expect(everyday.length).toBeGreaterThanOrEqual(30);
    for (const o of everyday) {
      expect(o.totalMinor).toBeGreaterThanOrEqual(1_500);
      expect(o.totalMinor).toBeLessThanOrEqual(12_000);
      expect(o.shippingSpeed).toBe(ShippingSpeed.STANDARD);
      expect(o.billingIndex).toBe(o.shipToIndex);
    }
  });

  it('stores only token hashes, each linked to its seller or buyer', async () => {
    const rows = await ds.manager.find(ApiToken);
    expect(rows).toHaveLength(summary.tokens.length);
    expect(summary.tokensByRole[Role.SELLER]).toHaveLength(3);
    expect(summary.tokensByRole[Role.BUYER]).toHaveLength(summary.counts.buyers);
    expect(summary.tokensByRole[Role.ADMIN]).toHaveLength(1);
    expect(summary.tokensByRole[Role.PLATFORM]).toHaveLength(1);
    for (const t of summary.tokens) {
      expect(t.token).toMatch(
        /^cs_dev_(seller|buyer)_\d+_[0-9a-f]{16}$|^cs_dev_(admin|platform)_[0-9a-f]{16}$/,
      );
      const row = rows.find((r) => r.tokenHash === hashToken(t.token));
      expect(row).toMatchObject({ role: t.role, sellerId: t.sellerId, buyerId: t.buyerId });
      expect(rows.some((r) => r.tokenHash === t.token || r.label.includes(t.token))).toBe(false);
    }
    const firstSeller = summary.tokensByRole[Role.SELLER][0];
    expect(firstSeller.token).toBe(devToken(Role.SELLER, 1));
    expect(firstSeller.name).toBe(
      (await ds.manager.findOneByOrFail(Seller, { id: firstSeller.sellerId! })).name,
    );
  });

  it('is deterministic: a second fresh database gets identical rows', async () => {
    const other = await freshDatabase();
    try {
      // Inside the caller's transaction this time: the seed must join it, not nest its own.
      const again = await other.transaction((tx) => seedDatabase(tx));
      expect(again).toEqual(summary);
      for (const table of [
        'orders',
        'line_items',
        'addresses',
        'buyers',
        'api_tokens',
        'service_signature_options',
      ]) {
        const sql = `SELECT * FROM ${table} ORDER BY id`;
        expect(await other.query(sql)).toEqual(await ds.query(sql));
      }
    } finally {
      await other.destroy();
    }
  });
});

describe('buildFixtures', () => {
  it('shifts every date with the reference date and changes nothing else', () => {
    const later = new Date(SEED_NOW.getTime() + 40 * 24 * 3_600_000);
    const a = buildFixtures(SEED_NOW);
    const b = buildFixtures(later);
    expect(b.orders.map((o) => o.number)).toEqual(a.orders.map((o) => o.number));
    b.orders.forEach((o, i) => {
      expect(o.placedAt.getTime() - a.orders[i].placedAt.getTime()).toBe(40 * 24 * 3_600_000);
      expect({ ...o, placedAt: 0, updatedAt: 0 }).toEqual({
        ...a.orders[i],
        placedAt: 0,
        updatedAt: 0,
      });
    });
  });
});

describe('carrier catalog', () => {
  const option = (service: string, o: SignatureOption) =>
    CARRIER_CATALOG.find((s) => s.code === service)!.options.find((x) => x.option === o)!;

  it('lists NONE, SIGNATURE_REQUIRED and ADULT_SIGNATURE_REQUIRED for every service', () => {
    for (const s of CARRIER_CATALOG) {
      expect(s.options.map((o) => o.option)).toEqual([
        SignatureOption.NONE,
        SignatureOption.SIGNATURE_REQUIRED,
        SignatureOption.ADULT_SIGNATURE_REQUIRED,
      ]);
      expect(s.options[0]).toMatchObject({ supported: true, feeMinor: 0, carrierCode: null });
      for (const o of s.options.slice(1)) {
        if (o.supported) {
          expect(o.carrierCode).toBeTruthy();
          // Who published the figure, its year, and the public page it is on.
          expect(o.feeSource).toMatch(/\b20\d\d\b.*: https:\/\/\S+$/);
          expect(o.unavailableReason).toBeNull();
        } else {
          expect(o).toMatchObject({ carrierCode: null, feeMinor: 0 });
          expect(o.unavailableReason).toMatch(/^[A-Z].{20,299}\.$/);
        }
        expect(Number.isInteger(o.feeMinor)).toBe(true);
        expect((o.feeSource ?? '').length).toBeLessThanOrEqual(200);
      }
    }
  });

  it('uses the carrier-native codes and the published fees', () => {
    const { SIGNATURE_REQUIRED: SIG, ADULT_SIGNATURE_REQUIRED: ADULT } = SignatureOption;
    expect(option('USPS_GROUND_ADVANTAGE', SIG)).toMatchObject({
      carrierCode: '921',
      feeMinor: 395,
    });
    expect(option('USPS_PRIORITY_MAIL', ADULT)).toMatchObject({
      carrierCode: '922',
      feeMinor: 840,
    });
    expect(option('USPS_PRIORITY_MAIL_EXPRESS', SIG)).toMatchObject({
      carrierCode: '981',
      feeMinor: 0,
    });
    expect(option('UPS_GROUND', SIG)).toMatchObject({ carrierCode: 'DCIS:2', feeMinor: 770 });
    expect(option('UPS_NEXT_DAY_AIR', ADULT)).toMatchObject({
      carrierCode: 'DCIS:3',
      feeMinor: 865,
    });
    expect(option('USPS_MEDIA_MAIL', SIG).supported).toBe(true);
    expect(option('USPS_MEDIA_MAIL', ADULT).supported).toBe(false);
    expect(option('UPS_GROUND_SAVER', SIG).unavailableReason).toMatch(/USPS/);
    expect(option('UPS_GROUND_SAVER', ADULT).supported).toBe(false);
    expect(option('USPS_PRIORITY_MAIL_INTERNATIONAL', SIG).supported).toBe(false);
    expect(option('USPS_PRIORITY_MAIL_INTERNATIONAL', ADULT).supported).toBe(false);
  });
});

describe('addressFingerprint and matchReshipper', () => {
  const forwarder = {
    line1: '  1250 Harbor   Logistics Way ',
    line2: 'suite 4410 #cs-88231',
    city: 'Wilmington',
    region: 'de',
    postalCode: '19801',
    country: 'us',
  };

  it('upper-cases and collapses spaces; a missing second line is empty', () => {
    expect(addressFingerprint(forwarder)).toBe(
      '1250 HARBOR LOGISTICS WAY|SUITE 4410 #CS-88231|WILMINGTON|DE|19801|US',
    );
    expect(addressFingerprint({ ...forwarder, line2: null })).toBe(
      '1250 HARBOR LOGISTICS WAY||WILMINGTON|DE|19801|US',
    );
  });

  it('recognizes forwarder warehouses and customer ids, not ordinary homes', () => {
    expect(matchReshipper({ ...forwarder, line2: null })?.kind).toBe('WAREHOUSE');
    expect(matchReshipper({ ...forwarder, line1: '9 Elm St' })?.kind).toBe('CUSTOMER_ID');
    expect(
      matchReshipper({
        line1: '22 Burroughs St',
        city: 'Boston',
        region: 'MA',
        postalCode: '02130',
        country: 'US',
      }),
    ).toBeNull();
  });
});
