import { In } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { Problems } from '../core/postal-address';
import type { PostalAddress, PostalAddressInput } from '../core/postal-address';
import { fail } from '../core/user-error';
import { Address, Seller, ShipFromLocation } from '../entities';
import { UpsertOutcome } from '../entities/enums';

/** Most ship-from locations one seller may have. */
export const MAX_SHIP_FROM_LOCATIONS = 50;

/** A platform's id for a seller, buyer or location: 1–64 printable ASCII characters, no spaces. */
const EXTERNAL_ID = /^[\x21-\x7e]{1,64}$/;

export interface ShipFromLocationInput {
  /** The platform's key for the location, unique per seller. */
  key: string;
  name: string;
  address: PostalAddressInput;
  phone: string;
  isDefault: boolean;
}

export interface UpsertSellerInput {
  externalId: string;
  name: string;
  shipFromLocations: ShipFromLocationInput[];
}

interface ValidLocation {
  key: string;
  name: string;
  address: PostalAddress;
  phone: string;
  isDefault: boolean;
}

export interface ValidSeller {
  externalId: string;
  name: string;
  locations: ValidLocation[];
}

/** A platform id at `field`; '' after recording the problem. */
export function externalIdOf(problems: Problems, value: string, field: string[]): string {
  const id = value.trim();
  if (!EXTERNAL_ID.test(id)) {
    problems.add(
      field,
      `${field[field.length - 1]} must be 1 to 64 printable characters, no spaces.`,
    );
    return '';
  }
  return id;
}

/** Checks every field of an upsertSeller input; all problems at once, each at its path. */
export function validateSeller(input: UpsertSellerInput): ValidSeller {
  const p = new Problems();
  const externalId = externalIdOf(p, input.externalId, ['input', 'externalId']);
  const name = p.text(input.name, ['input', 'name'], 120);
  const listField = ['input', 'shipFromLocations'];
  const count = input.shipFromLocations.length;
  if (count === 0 || count > MAX_SHIP_FROM_LOCATIONS) {
    p.add(listField, `Give 1 to ${MAX_SHIP_FROM_LOCATIONS} ship-from locations.`);
  }
  const seen = new Set<string>();
  const locations = input.shipFromLocations.slice(0, MAX_SHIP_FROM_LOCATIONS).map((l, i) => {
    const at = [...listField, String(i)];
    const key = externalIdOf(p, l.key, [...at, 'key']);
    if (key && seen.has(key)) p.add([...at, 'key'], `Another location already has key "${key}".`);
    seen.add(key);
    const address = p.address(l.address, [...at, 'address']);
    // The carriers behind labels (UPS, USPS) sell domestic US labels: parcels start in the US.
    if (address.country && address.country !== 'US') {
      p.add([...at, 'address', 'country'], 'Ship-from locations must be in the US.');
    }
    return {
      key,
      name: p.text(l.name, [...at, 'name'], 120),
      address,
      phone: p.phone(l.phone, [...at, 'phone']),
      isDefault: l.isDefault,
    };
  });
  const defaults = locations.filter((l) => l.isDefault).length;
  if (count > 0 && defaults !== 1) {
    p.add(listField, `Exactly one location must be the default (${defaults} are).`);
  }
  if (p.list.length > 0) fail(p.list);
  return { externalId, name, locations };
}

const ADDRESS_FIELDS = [
  'name',
  'company',
  'line1',
  'line2',
  'city',
  'region',
  'postalCode',
  'country',
] as const;

const sameAddress = (row: Address, a: PostalAddress) =>
  ADDRESS_FIELDS.every((f) => row[f] === a[f]);

/**
 * Creates or updates the seller with this external id and makes its ship-from locations exactly
 * the given ones (by key: new ones added, changed ones updated, missing ones removed). Writes
 * nothing when nothing changed. A changed address is a new `addresses` row: quotes and labels
 * keep the address they were made with. Run inside the caller's transaction.
 */
export async function writeSeller(
  m: EntityManager,
  valid: ValidSeller,
  now: Date,
): Promise<{ seller: Seller; outcome: UpsertOutcome }> {
  let seller = await m.findOneBy(Seller, { externalId: valid.externalId });
  let outcome = UpsertOutcome.UNCHANGED;
  if (!seller) {
    seller = m.create(Seller, { externalId: valid.externalId, name: valid.name, createdAt: now });
    await m.insert(Seller, seller);
    outcome = UpsertOutcome.CREATED;
  } else if (seller.name !== valid.name) {
    seller.name = valid.name;
    await m.update(Seller, { id: seller.id }, { name: valid.name });
    outcome = UpsertOutcome.UPDATED;
  }
  const existing = await m.find(ShipFromLocation, { where: { sellerId: seller.id } });
  const addresses = existing.length
    ? await m.find(Address, { where: { id: In(existing.map((l) => l.addressId)) } })
    : [];
  const addressOf = new Map(addresses.map((a) => [a.id, a]));
  const wanted = new Set(valid.locations.map((l) => l.key));
  const gone = existing.filter((l) => !wanted.has(l.externalKey));
  if (gone.length > 0) {
    await m.delete(
      ShipFromLocation,
      gone.map((l) => l.id),
    );
    outcome = UpsertOutcome.UPDATED;
  }
  for (const l of valid.locations) {
    const row = existing.find((e) => e.externalKey === l.key);
    const current = row ? addressOf.get(row.addressId) : undefined;
    const addressId =
      current && sameAddress(current, l.address)
        ? current.id
        : ((await m.insert(Address, m.create(Address, l.address))).identifiers[0].id as number);
    const fields = { name: l.name, addressId, phone: l.phone, isDefault: l.isDefault };
    if (!row) {
      await m.insert(ShipFromLocation, {
        ...fields,
        sellerId: seller.id,
        externalKey: l.key,
        createdAt: now,
        updatedAt: now,
      });
    } else if (
      row.name !== fields.name ||
      row.addressId !== addressId ||
      row.phone !== fields.phone ||
      row.isDefault !== fields.isDefault
    ) {
      await m.update(ShipFromLocation, { id: row.id }, { ...fields, updatedAt: now });
    } else {
      continue;
    }
    if (outcome === UpsertOutcome.UNCHANGED) outcome = UpsertOutcome.UPDATED;
  }
  return { seller, outcome };
}
