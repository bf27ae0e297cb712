import type { EntityManager } from 'typeorm';
import { ApiToken } from '../entities';
import { hashToken } from './token-hash';
import type { Viewer } from './viewer';

/** Parses `Authorization: Bearer <token>`; anything else yields null. */
export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S{1,200})$/i.exec(header.trim());
  return match ? match[1] : null;
}

/** Looks a token up by its hash; null when unknown or revoked. */
export async function authenticate(
  manager: EntityManager,
  token: string | null,
): Promise<Viewer | null> {
  if (!token) return null;
  const row = await manager.findOne(ApiToken, { where: { tokenHash: hashToken(token) } });
  if (!row || row.revokedAt) return null;
  return { tokenId: row.id, role: row.role, sellerId: row.sellerId, buyerId: row.buyerId };
}
