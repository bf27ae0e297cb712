import type { EntityManager } from 'typeorm';
import { Problems } from '../core/postal-address';
import { fail } from '../core/user-error';
import { Buyer } from '../entities';
import { UpsertOutcome } from '../entities/enums';
import { externalIdOf } from './seller-intake';

export interface UpsertBuyerInput {
  externalId: string;
  name: string;
  /** Where buyer notifications are e-mailed. */
  email: string;
  /** For SMS notifications; optional. */
  phone?: string | null;
  /** When the buyer opened the account on the platform (risk weighs young accounts). */
  accountCreatedAt: Date;
}

export interface ValidBuyer {
  externalId: string;
  name: string;
  email: string;
  phone: string | null;
  createdAt: Date;
}

/** Checks an upsertBuyer input against `now`; all problems at once, each at its path. */
export function validateBuyer(input: UpsertBuyerInput, now: Date): ValidBuyer {
  const p = new Problems();
  const externalId = externalIdOf(p, input.externalId, ['input', 'externalId']);
  const name = p.text(input.name, ['input', 'name'], 120);
  const email = p.email(input.email, ['input', 'email']);
  const hasPhone = input.phone !== null && input.phone !== undefined && input.phone.trim() !== '';
  const phone = hasPhone ? p.phone(input.phone!, ['input', 'phone']) : null;
  const createdAt = input.accountCreatedAt;
  if (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime())) {
    p.add(['input', 'accountCreatedAt'], 'accountCreatedAt is not a date.');
  } else if (createdAt.getTime() > now.getTime()) {
    p.add(['input', 'accountCreatedAt'], 'accountCreatedAt is in the future.');
  }
  if (p.list.length > 0) fail(p.list);
  return { externalId, name, email, phone, createdAt };
}

/**
 * Creates or updates the buyer with this external id; writes nothing when nothing changed. The
 * account's creation date is the buyer's `createdAt`, which the risk rules read account age from.
 * Run inside the caller's transaction.
 */
export async function writeBuyer(
  m: EntityManager,
  valid: ValidBuyer,
): Promise<{ buyer: Buyer; outcome: UpsertOutcome }> {
  const buyer = await m.findOneBy(Buyer, { externalId: valid.externalId });
  if (!buyer) {
    const created = m.create(Buyer, valid);
    await m.insert(Buyer, created);
    return { buyer: created, outcome: UpsertOutcome.CREATED };
  }
  const changed =
    buyer.name !== valid.name ||
    buyer.email !== valid.email ||
    buyer.phone !== valid.phone ||
    buyer.createdAt.getTime() !== valid.createdAt.getTime();
  if (!changed) return { buyer, outcome: UpsertOutcome.UNCHANGED };
  const { name, email, phone, createdAt } = valid;
  await m.update(Buyer, { id: buyer.id }, { name, email, phone, createdAt });
  return {
    buyer: Object.assign(buyer, { name, email, phone, createdAt }),
    outcome: UpsertOutcome.UPDATED,
  };
}
