import { filter, pipe } from '@graphql-yoga/subscription';
import { canSee, isSeller } from '../../auth/viewer';
import type { RequestContext } from '../../core/request-context';
import type { Shipment } from '../../entities';
import type { ShipmentStatus } from '../../entities/enums';
import { badInput, forbidden, notFound } from '../../core/errors';
import { fromGlobalId } from '../../core/global-id';
import {
  ShipmentChange,
  shipmentFromSnapshot,
  trackingEventFromSnapshot,
} from '../../pubsub/event-bus';
import type { PublishedTrackingEvent, ShipmentChanged } from '../../pubsub/event-bus';
import type { ServiceDeps } from '../deps';
import type { OrderService } from '../order.service';
import { requireViewer } from '../../auth/guards';

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
}

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
      return this.deps.events.subscribe('shipment:changed', id);
    }
    const orderId = fromGlobalId(args.orderId as string, 'Order', 'orderId');
    const order = await this.orders.findVisible(ctx, orderId);
    if (!order) throw notFound('Order');
    // The seller's topic carries every shipment of the order, including a later label's.
    return pipe(
      this.deps.events.subscribe('seller:shipments', order.sellerId),
      filter((change: ShipmentChanged) => change.orderId === orderId),
    );
  }

  /** Every shipment change of the calling seller. */
  async subscribeSellerFeed(ctx: RequestContext): Promise<AsyncIterable<ShipmentChanged>> {
    const viewer = requireViewer(ctx);
    if (!isSeller(viewer)) throw forbidden('The shipment feed is for seller tokens');
    return this.deps.events.subscribe('seller:shipments', viewer.sellerId);
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
