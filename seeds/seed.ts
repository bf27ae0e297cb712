import type { EntityManager } from 'typeorm';
import { hashToken } from '../src/auth/token-hash';
import { insertAll } from '../src/db/insert-all';
import { Address, ApiToken, Seller } from '../src/entities';
import { OrderStatus, Role } from '../src/entities/enums';
import { changeOrder, writeImportedOrder } from '../src/services/intake/order-writes';
import type { ImportedOrder } from '../src/services/intake/order-input';
import { insertReferenceData } from '../src/reference/load-reference-data';
import { validateSeller, writeSeller } from '../src/services/seller-intake';
import { validateBuyer, writeBuyer } from '../src/services/buyer-intake';
import { seedClaimHistory } from './claims';
import { devTokenSpecs } from './dev-tokens';
import { SEED_NOW, buildFixtures } from './fixtures';
import type { AddressFixture, OrderFixture } from './fixtures';
import { BUYER_SEEDS } from './people';

export interface SeedOptions {
  /** Reference date that every seeded time is relative to; default SEED_NOW. */
  now?: Date;
  /** Insert the well-known dev tokens (default true). Turn off outside development. */
  devTokens?: boolean;
}

/** A dev token in plain text, as printed at start-up; the database holds only its hash. */
export interface SeededToken {
  token: string;
  role: Role;
  label: string;
  /** The seller's or buyer's name; "Admin" for the admin token. */
  name: string;
  sellerId: number | null;
  buyerId: number | null;
}

export interface SeedSummary {
  counts: {
    carrierServices: number;
    signatureOptions: number;
    signatureTerms: number;
    sellers: number;
    shipFromLocations: number;
    buyers: number;
    addresses: number;
    orders: number;
    lineItems: number;
    apiTokens: number;
    claims: number;
  };
  /** Every dev token: sellers (in seed order), then buyers, then the admin. */
  tokens: SeededToken[];
  /** The same tokens grouped by role. */
  tokensByRole: Record<Role, SeededToken[]>;
}

/** Whether the database has no seed data yet (decided by sellers: nothing works without one). */
export async function isEmpty(manager: EntityManager): Promise<boolean> {
  return !(await manager.exists(Seller));
}

/** The source the demo orders are imported from; their numbers are their external ids. */
export const DEMO_SOURCE = 'demo';

/** A fixture order as the import takes it. */
function importedOrder(
  o: OrderFixture,
  addresses: AddressFixture[],
  sellerIds: number[],
  buyerIds: number[],
): ImportedOrder {
  const address = (i: number) => {
    const { fingerprint: _f, ...parts } = addresses[i];
    return { ...parts, company: null };
  };
  return {
    externalId: o.number,
    number: o.number,
    sellerId: sellerIds[o.sellerIndex],
    buyerId: buyerIds[o.buyerIndex],
    currency: o.currency,
    lineItems: o.items,
    subtotalMinor: o.subtotalMinor,
    shippingMinor: o.shippingMinor,
    taxMinor: o.taxMinor,
    totalMinor: o.totalMinor,
    shippingSpeed: o.shippingSpeed,
    shipTo: address(o.shipToIndex),
    billingAddress: address(o.billingIndex),
    placedAt: o.placedAt,
    parcel: {
      weightOz: o.parcelWeightOz,
      lengthIn: o.parcelLengthIn,
      widthIn: o.parcelWidthIn,
      heightIn: o.parcelHeightIn,
    },
    onHold: o.onHold,
    addressChangedAfterCheckout: o.addressChangedAfterCheckout,
  };
}

async function seedAll(manager: EntityManager, opts: SeedOptions): Promise<SeedSummary> {
  const now = opts.now ?? SEED_NOW;
  const fx = buildFixtures(now);
  // The reference data production loads too (src/reference), then the demo data on top.
  const { carrierServices, signatureOptions, signatureTerms } = await insertReferenceData(manager);

  // Parents before children; ids come back in row order, so fixture indexes map straight to ids.
  // Sellers come in as the marketplace brings them: through upsertSeller's validation and writes.
  const sellerIds: number[] = [];
  const locationCount = fx.sellers.reduce((n, s) => n + s.shipFromLocations.length, 0);
  for (const { createdAt, ...input } of fx.sellers) {
    sellerIds.push((await writeSeller(manager, validateSeller(input), createdAt)).seller.id);
  }
  // Buyers too: through upsertBuyer's validation and writes, keyed by a demo external id.
  const buyerIds: number[] = [];
  for (const [i, { createdAt, ...buyer }] of fx.buyers.entries()) {
    const valid = validateBuyer(
      { ...buyer, externalId: `demo-buyer-${i + 1}`, accountCreatedAt: createdAt },
      now,
    );
    buyerIds.push((await writeBuyer(manager, valid)).buyer.id);
  }
  // Past delivered orders and their closed claims first: the history today's orders are
  // assessed against when they are imported.
  const history = await seedClaimHistory(manager, {
    now,
    buyers: BUYER_SEEDS,
    buyerIds,
    sellerIds,
  });
  // Orders come in through the import, as a marketplace's would: keyed by source and number,
  // addresses fingerprinted and each order assessed in the transaction that writes it. Each is
  // imported as it stood at its last change; a cancellation is then applied as the platform would.
  for (const [index, o] of fx.orders.entries()) {
    const written = await writeImportedOrder(
      manager,
      DEMO_SOURCE,
      index,
      importedOrder(o, fx.addresses, sellerIds, buyerIds),
      o.updatedAt,
    );
    if (o.status === OrderStatus.CANCELLED) {
      await changeOrder(manager, written.order.id, { status: OrderStatus.CANCELLED }, o.updatedAt);
    }
  }
  const orderCount = fx.orders.length;
  const lineItemCount = fx.orders.reduce((sum, o) => sum + o.items.length, 0);

  const tokens: SeededToken[] = [];
  const specs = opts.devTokens === false ? [] : devTokenSpecs(fx.sellers, fx.buyers);
  const tokenRows = specs.map((spec) => {
    const sellerId = spec.sellerIndex === null ? null : sellerIds[spec.sellerIndex];
    const buyerId = spec.buyerIndex === null ? null : buyerIds[spec.buyerIndex];
    const name =
      spec.sellerIndex !== null
        ? fx.sellers[spec.sellerIndex].name
        : spec.buyerIndex !== null
          ? fx.buyers[spec.buyerIndex].name
          : 'Admin';
    tokens.push({ token: spec.token, role: spec.role, label: spec.label, name, sellerId, buyerId });
    return {
      tokenHash: hashToken(spec.token),
      role: spec.role,
      sellerId,
      buyerId,
      label: spec.label,
      createdAt: now,
      revokedAt: null,
    };
  });
  await insertAll(manager, ApiToken, tokenRows);

  return {
    counts: {
      carrierServices,
      signatureOptions,
      signatureTerms,
      sellers: sellerIds.length,
      shipFromLocations: locationCount,
      buyers: buyerIds.length,
      // Every address row: the ship-from locations', the imported orders' and the history's.
      addresses: await manager.count(Address),
      orders: orderCount + history.orders,
      lineItems: lineItemCount + history.orders,
      apiTokens: tokenRows.length,
      claims: history.claims,
    },
    tokens,
    tokensByRole: {
      [Role.SELLER]: tokens.filter((t) => t.role === Role.SELLER),
      [Role.BUYER]: tokens.filter((t) => t.role === Role.BUYER),
      [Role.ADMIN]: tokens.filter((t) => t.role === Role.ADMIN),
      [Role.PLATFORM]: tokens.filter((t) => t.role === Role.PLATFORM),
    },
  };
}

/**
 * Fills an empty database (check with `isEmpty`) with the carrier catalog, the signature terms,
 * demo sellers, buyers, and dev tokens, and imports the demo orders through the order import
 * (so each has its assessment as of its import). Labels and shipments are left to the application. Runs in one transaction unless the caller's
 * manager is already in one.
 */
export async function seedDatabase(
  manager: EntityManager,
  opts: SeedOptions = {},
): Promise<SeedSummary> {
  if (manager.queryRunner?.isTransactionActive) return seedAll(manager, opts);
  return manager.transaction((tx) => seedAll(tx, opts));
}
