import { isAdmin, isPlatform } from '../auth/viewer';
import type { Clock } from '../core/clock';
import type { RequestContext } from '../core/request-context';
import { isUniqueViolation } from '../db/errors';
import { Order, ShipFromLocation } from '../entities';
import type { Buyer, Seller } from '../entities';
import type { UpsertOutcome } from '../entities/enums';
import { requireIntake, requireViewer } from '../auth/guards';
import { validateBuyer, writeBuyer } from './buyer-intake';
import type { UpsertBuyerInput } from './buyer-intake';
import type { ServiceDeps } from './deps';
import { validateSeller, writeSeller } from './seller-intake';
import type { UpsertSellerInput } from './seller-intake';

/**
 * Sellers and buyers: as `node(id)` shows them (each to itself and to platform staff, and a
 * buyer also to the sellers it ordered from; anyone else reads null), and as the platform brings
 * them in (upsertSeller / upsertBuyer: staff or a PLATFORM integration, idempotent on the
 * platform's external id).
 */
export class PartyService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly clock: Clock,
  ) {}

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

  /** Whether the viewer may see where this seller ships from: itself, staff, the platform. */
  maySeeLocations(ctx: RequestContext, sellerId: number): boolean {
    const viewer = ctx.viewer;
    if (!viewer) return false;
    return isAdmin(viewer) || isPlatform(viewer) || viewer.sellerId === sellerId;
  }

  /** A seller's ship-from locations, default first (null when the viewer may not see them). */
  shipFromLocations(ctx: RequestContext, sellerId: number): Promise<ShipFromLocation[]> | null {
    if (!this.maySeeLocations(ctx, sellerId)) return null;
    return ctx.loaders.shipFromLocationsBySellerId.load(sellerId);
  }

  async findVisibleShipFromLocation(
    ctx: RequestContext,
    id: number,
  ): Promise<ShipFromLocation | null> {
    requireViewer(ctx);
    const location = await this.deps.db.manager.findOneBy(ShipFromLocation, { id });
    return location && this.maySeeLocations(ctx, location.sellerId) ? location : null;
  }

  async upsertSeller(
    ctx: RequestContext,
    input: UpsertSellerInput,
  ): Promise<{ seller: Seller; outcome: UpsertOutcome }> {
    requireIntake(ctx);
    const valid = validateSeller(input);
    return this.retryOnDuplicate(() =>
      this.deps.db.transaction((tx) => writeSeller(tx.manager, valid, this.clock())),
    );
  }

  async upsertBuyer(
    ctx: RequestContext,
    input: UpsertBuyerInput,
  ): Promise<{ buyer: Buyer; outcome: UpsertOutcome }> {
    requireIntake(ctx);
    const valid = validateBuyer(input, this.clock());
    return this.retryOnDuplicate(() =>
      this.deps.db.transaction((tx) => writeBuyer(tx.manager, valid)),
    );
  }

  /**
   * Two first upserts of one external id race on PostgreSQL: both find nothing and insert, and
   * the unique index refuses the second. Run again, it finds the winner's row and updates it.
   */
  private async retryOnDuplicate<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return run();
    }
  }
}
