import { isAdmin } from '../auth/viewer';
import type { RequestContext } from '../core/request-context';
import { Order } from '../entities';
import type { Buyer, Seller } from '../entities';
import type { ServiceDeps } from './deps';
import { requireViewer } from '../auth/guards';

/**
 * Sellers and buyers as `node(id)` shows them: each to itself and to platform staff, and a buyer
 * also to the sellers it ordered from (they see it on those orders anyway). Anyone else reads null.
 */
export class PartyService {
  constructor(private readonly deps: ServiceDeps) {}

  async findVisibleSeller(ctx: RequestContext, id: number): Promise<Seller | null> {
    const viewer = requireViewer(ctx);
    if (!isAdmin(viewer) && viewer.sellerId !== id) return null;
    return ctx.loaders.sellerById.load(id);
  }

  async findVisibleBuyer(ctx: RequestContext, id: number): Promise<Buyer | null> {
    const viewer = requireViewer(ctx);
    const maySee =
      isAdmin(viewer) ||
      viewer.buyerId === id ||
      (viewer.sellerId !== null &&
        (await this.deps.db.manager.exists(Order, {
          where: { sellerId: viewer.sellerId, buyerId: id },
        })));
    return maySee ? ctx.loaders.buyerById.load(id) : null;
  }
}
