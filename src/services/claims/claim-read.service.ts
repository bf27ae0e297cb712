import { filter, pipe } from '@graphql-yoga/subscription';
import type { SelectQueryBuilder } from 'typeorm';
import { forbidden, notFound } from '../../core/errors';
import { fromGlobalId } from '../../core/global-id';
import type { ClaimChanged } from '../../pubsub/event-bus';
import { requireViewer } from '../../auth/guards';
import { isAdmin, isBuyer, isSeller } from '../../auth/viewer';
import type { Viewer } from '../../auth/viewer';
import type { Page } from '../../core/page';
import type { RequestContext } from '../../core/request-context';
import { Claim } from '../../entities';
import type { ClaimTransition, Order } from '../../entities';
import type { ClaimStatus } from '../../entities/enums';
import type { ServiceDeps } from '../deps';
import { keysetPage } from '../pagination';
import type { PageArgs } from '../pagination';

export interface ClaimListArgs extends PageArgs {
  status?: ClaimStatus | null;
}

/**
 * Who sees a claim: its buyer, the seller of its order, and platform staff. A PLATFORM
 * integration sees none: claims are between the buyer, the seller and staff, and an integration
 * learns of them through the `claim.updated` webhook.
 */
export function canSeeClaim(viewer: Viewer, claim: Pick<Claim, 'sellerId' | 'buyerId'>): boolean {
  if (isAdmin(viewer)) return true;
  if (isSeller(viewer)) return viewer.sellerId === claim.sellerId;
  if (isBuyer(viewer)) return viewer.buyerId === claim.buyerId;
  return false;
}

/** Reads claims, always scoped to what the viewer may see. */
export class ClaimReadService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: RequestContext, args: ClaimListArgs): Promise<Page<Claim>> {
    const viewer = requireViewer(ctx);
    const query = this.scoped(viewer);
    if (args.status) query.andWhere('c.status = :status', { status: args.status });
    return keysetPage(query, 'c', 'filedAt', args);
  }

  /** For `node(id)`. */
  async findVisible(ctx: RequestContext, id: number): Promise<Claim | null> {
    const viewer = requireViewer(ctx);
    const claim = await ctx.loaders.claimById.load(id);
    return claim && canSeeClaim(viewer, claim) ? claim : null;
  }

  /** The order's claims, newest first, for whoever may see the order's claims. */
  async forOrder(ctx: RequestContext, order: Order): Promise<Claim[]> {
    const viewer = requireViewer(ctx);
    if (!canSeeClaim(viewer, order)) return [];
    const claims = await ctx.loaders.claimsByOrderId.load(order.id);
    return [...claims].reverse();
  }

  /** The order's open claim, if any. */
  async openForOrder(ctx: RequestContext, order: Order): Promise<Claim | null> {
    const viewer = requireViewer(ctx);
    if (!canSeeClaim(viewer, order)) return null;
    return ctx.loaders.openClaimByOrderId.load(order.id);
  }

  /** Every move of the claim, oldest first. */
  transitions(ctx: RequestContext, claim: Claim): Promise<ClaimTransition[]> {
    return ctx.loaders.claimTransitionsByClaimId.load(claim.id);
  }

  /**
   * Moves of the viewer's claims from now on: a buyer's own, a seller's on its orders; with
   * `claimId`, that claim only (NOT_FOUND unless visible). Staff and integrations are not parties
   * to a claim: they read it, or take the `claim.updated` webhook.
   */
  async subscribe(
    ctx: RequestContext,
    args: { claimId?: string | null },
  ): Promise<AsyncIterable<ClaimChanged>> {
    const viewer = requireViewer(ctx);
    if (!isBuyer(viewer) && !isSeller(viewer)) {
      throw forbidden('claimUpdated is for the buyer and the seller of a claim');
    }
    let only: number | null = null;
    if (args.claimId) {
      only = fromGlobalId(args.claimId, 'Claim', 'claimId');
      if (!(await this.findVisible(ctx, only))) throw notFound('Claim');
    }
    const live = isBuyer(viewer)
      ? this.deps.events.subscribe('claims:buyer', viewer.buyerId)
      : this.deps.events.subscribe('claims:seller', viewer.sellerId as number);
    return only === null
      ? live
      : pipe(
          live,
          filter((c: ClaimChanged) => c.claimId === only),
        );
  }

  /** The claim a published move left, read for this event (its loaders are the event's). */
  async changed(ctx: RequestContext, change: ClaimChanged): Promise<Claim> {
    const claim = await ctx.loaders.claimById.load(change.claimId);
    if (!claim) throw notFound('Claim');
    return claim;
  }

  private scoped(viewer: Viewer): SelectQueryBuilder<Claim> {
    const query = this.deps.db.manager.createQueryBuilder(Claim, 'c');
    if (isAdmin(viewer)) return query.where('1 = 1');
    if (isSeller(viewer)) return query.where('c.sellerId = :sellerId', viewer);
    if (isBuyer(viewer)) return query.where('c.buyerId = :buyerId', viewer);
    return query.where('1 = 0');
  }
}
