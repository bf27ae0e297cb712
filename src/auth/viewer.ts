import { Role } from '../entities/enums';

/** Who is calling: resolved from the bearer token once per request or WebSocket connection. */
export interface Viewer {
  tokenId: number;
  role: Role;
  sellerId: number | null;
  buyerId: number | null;
}

export const isSeller = (v: Viewer): v is Viewer & { sellerId: number } =>
  v.role === Role.SELLER && v.sellerId !== null;
export const isBuyer = (v: Viewer): v is Viewer & { buyerId: number } =>
  v.role === Role.BUYER && v.buyerId !== null;
export const isAdmin = (v: Viewer): boolean => v.role === Role.ADMIN;
/** A marketplace integration: writes sellers, buyers and orders; never labels or signature images. */
export const isPlatform = (v: Viewer): boolean => v.role === Role.PLATFORM;

/**
 * Platform staff, and a PLATFORM integration (it writes the orders, so it reads them and their
 * assessments back; labels and signature images stay the seller's and staff's).
 */
export const seesEveryOrder = (v: Viewer): boolean => isAdmin(v) || isPlatform(v);

/** Whether the viewer may see something that belongs to this seller and buyer. */
export function canSee(v: Viewer, owner: { sellerId: number; buyerId: number }): boolean {
  return isAdmin(v) || v.sellerId === owner.sellerId || v.buyerId === owner.buyerId;
}
