import { In, IsNull } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { ApiToken } from '../entities';
import { rawFind } from '../loaders/raw-find';
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
  // Every request runs this: the raw path skips TypeORM's query building (tokenHash is unique).
  const [row] = await rawFind(manager, ApiToken, 'tokenHash')([hashToken(token)]);
  if (!row || row.revokedAt) return null;
  return { tokenId: row.id, role: row.role, sellerId: row.sellerId, buyerId: row.buyerId };
}

/** Which of these token ids are still valid (not revoked, not deleted); one read per 500. */
export async function liveTokenIds(manager: EntityManager, ids: number[]): Promise<Set<number>> {
  const live = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await manager.find(ApiToken, {
      select: { id: true },
      where: { id: In(ids.slice(i, i + 500)), revokedAt: IsNull() },
    });
    for (const row of rows) live.add(row.id);
  }
  return live;
}
