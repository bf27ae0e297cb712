import { createHash } from 'node:crypto';
import { Role } from '../src/entities/enums';

/**
 * Development bearer tokens: one per seed seller and buyer, and one admin. They are derived from
 * fixed strings so they survive a reseed and can sit in docs, the IDE's prefilled headers and
 * test scripts. Anyone can recompute them, so they belong to development data only.
 */
export interface DevTokenSpec {
  token: string;
  role: Role;
  /** Index into the seed's sellers (SELLER tokens), else null. */
  sellerIndex: number | null;
  /** Index into the seed's buyers (BUYER tokens), else null. */
  buyerIndex: number | null;
  /** Whose token it is, e.g. "Harbor & Pine Electronics (dev)". */
  label: string;
}

const ROLE_SLUG: Record<Role, string> = {
  [Role.SELLER]: 'seller',
  [Role.BUYER]: 'buyer',
  [Role.ADMIN]: 'admin',
  [Role.PLATFORM]: 'platform',
};

/** `cs_dev_<role>[_<n>]_<16 hex>`; the suffix makes the tokens look and behave like secrets. */
export function devToken(role: Role, n?: number): string {
  const slug = ROLE_SLUG[role];
  const id = n === undefined ? slug : `${slug}_${n}`;
  const suffix = createHash('sha256')
    .update(`countersign dev token ${id}`)
    .digest('hex')
    .slice(0, 16);
  return `cs_dev_${id}_${suffix}`;
}

/** The dev tokens for seed sellers and buyers (numbered from 1, in seed order), the admin and
 * the marketplace integration (PLATFORM). */
export function devTokenSpecs(
  sellers: readonly { name: string }[],
  buyers: readonly { name: string }[],
): DevTokenSpec[] {
  return [
    ...sellers.map((s, i) => ({
      token: devToken(Role.SELLER, i + 1),
      role: Role.SELLER,
      sellerIndex: i,
      buyerIndex: null,
      label: `${s.name} (dev)`,
    })),
    ...buyers.map((b, i) => ({
      token: devToken(Role.BUYER, i + 1),
      role: Role.BUYER,
      sellerIndex: null,
      buyerIndex: i,
      label: `${b.name} (dev)`,
    })),
    {
      token: devToken(Role.ADMIN),
      role: Role.ADMIN,
      sellerIndex: null,
      buyerIndex: null,
      label: 'Admin (dev)',
    },
    {
      token: devToken(Role.PLATFORM),
      role: Role.PLATFORM,
      sellerIndex: null,
      buyerIndex: null,
      label: 'Marketplace integration (dev)',
    },
  ];
}
