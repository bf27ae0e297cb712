import { filter, pipe } from '@graphql-yoga/subscription';
import { canSee, isSeller } from '../../auth/viewer';
import type { RequestContext } from '../../core/request-context';
import { Shipment, TrackingEvent } from '../../entities';
import { MoreThan } from 'typeorm';
import type { ShipmentStatus } from '../../entities/enums';
import { badInput, forbidden, notFound } from '../../core/errors';
import { fromGlobalId } from '../../core/global-id';
import {
  ShipmentChange,
  shipmentChanged,
  shipmentFromSnapshot,
  trackingEventFromSnapshot,
} from '../../pubsub/event-bus';
import type { PublishedTrackingEvent, ShipmentChanged } from '../../pubsub/event-bus';
import type { ServiceDeps } from '../deps';
import type { OrderService } from '../order.service';
import { requireViewer } from '../../auth/guards';
import { startWith } from '../../pubsub/start-with';

/** What one subscriber receives for one change. */
export interface ShipmentUpdate {
  shipment: Shipment;
  event: PublishedTrackingEvent | null;
  changes: ShipmentChange[];
  previousStatus: ShipmentStatus | null;
  signatureMissing: boolean;
  proofFlagged: boolean;
}

export interface ShipmentUpdatedArgs {
  shipmentId?: string | null;
  orderId?: string | null;
  /** Start with the shipment's state as it stands (a client that reconnects). */
  catchUp?: boolean | null;
}

export interface SellerFeedArgs {
  /** Start with the seller's shipments changed after this time, oldest first. */
  changedSince?: Date | null;
}

/** How many shipments a seller feed's catch-up sends at most; older ones are for a list query. */
export const MAX_CATCH_UP = 100;

/**
 * Live shipment updates. Ownership is checked once, when subscribing; each event is then
 * answered from the published snapshot, so the per-subscriber cost of an event stays small.
 */
export class ShipmentFeedService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly orders: OrderService,
  ) {}

  /** Changes of one shipment, or of an order's shipment (including one bought later). */
  async subscribeShipment(
    ctx: RequestContext,
    args: ShipmentUpdatedArgs,
  ): Promise<AsyncIterable<ShipmentChanged>> {
    const viewer = requireViewer(ctx);
    if (!!args.shipmentId === !!args.orderId) {
      throw badInput('Give exactly one of shipmentId and orderId');
    }
    if (args.shipmentId) {
      const id = fromGlobalId(args.shipmentId, 'Shipment', 'shipmentId');
      const shipment = await ctx.loaders.shipmentById.load(id);
      if (!shipment || !canSee(viewer, shipment)) throw notFound('Shipment');
      const live = this.deps.events.subscribe('shipment:changed', id);
      return args.catchUp ? startWith(live, () => this.current({ id })) : live;
    }
    const orderId = fromGlobalId(args.orderId as string, 'Order', 'orderId');
    const order = await this.orders.findVisible(ctx, orderId);
    // Tracking follows the shipment's rules (canSee): a PLATFORM token reads the orders it
    // brought in, not their parcels' movements.
    if (!order || !canSee(viewer, order)) throw notFound('Order');
    // The seller's topic carries every shipment of the order, including a later label's.
    const live = pipe(
      this.deps.events.subscribe('seller:shipments', order.sellerId),
      filter((change: ShipmentChanged) => change.orderId === orderId),
    );
    return args.catchUp ? startWith(live, () => this.current({ orderId })) : live;
  }

  /** Every shipment change of the calling seller. */
  async subscribeSellerFeed(
    ctx: RequestContext,
    args: SellerFeedArgs = {},
  ): Promise<AsyncIterable<ShipmentChanged>> {
    const viewer = requireViewer(ctx);
    if (!isSeller(viewer)) throw forbidden('The shipment feed is for seller tokens');
    const live = this.deps.events.subscribe('seller:shipments', viewer.sellerId);
    const since = args.changedSince;
    if (!since) return live;
    return startWith(live, async () => {
      const changed = await this.deps.db.manager.find(Shipment, {
        where: { sellerId: viewer.sellerId, updatedAt: MoreThan(since) },
        order: { updatedAt: 'ASC', id: 'ASC' },
        take: MAX_CATCH_UP,
      });
      return changed.map((shipment) => shipmentChanged(shipment, this.currentDetails));
    });
  }

  private readonly currentDetails = { changes: [ShipmentChange.CURRENT], previousStatus: null };

  /** The shipment (of one id, or an order's latest) as it stands, with its latest event. */
  private async current(where: { id: number } | { orderId: number }): Promise<ShipmentChanged[]> {
    const m = this.deps.db.manager;
    const [shipment] = await m.find(Shipment, { where, order: { id: 'DESC' }, take: 1 });
    if (!shipment) return [];
    const event = await m.findOne(TrackingEvent, {
      where: { shipmentId: shipment.id },
      order: { occurredAt: 'DESC', id: 'DESC' },
    });
    return [shipmentChanged(shipment, { ...this.currentDetails, event })];
  }

  /** Turns a published change into what the subscriber sees. */
  async toUpdate(ctx: RequestContext, change: ShipmentChanged): Promise<ShipmentUpdate> {
    // Payloads cross Redis as JSON: field resolvers get rows with real dates either way.
    const shipment = change.shipment
      ? shipmentFromSnapshot(change.shipment)
      : await ctx.loaders.shipmentById.load(change.shipmentId);
    if (!shipment) throw notFound('Shipment');
    return {
      shipment,
      event: change.event ? trackingEventFromSnapshot(change.event) : null,
      changes: change.changes ?? [ShipmentChange.STATUS],
      previousStatus: change.previousStatus ?? null,
      signatureMissing: change.signatureMissing ?? false,
      proofFlagged: change.proofFlagged ?? false,
    };
  }
}
