import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { parseGlobalId } from '../../core/global-id';
import type { NodeTypeName } from '../../core/global-id';
import { Node } from '../types/node.type';
import { requireViewer } from '../../auth/guards';
import { badInput } from '../../core/errors';

/** Most ids one `nodes(ids:)` call takes: each is its own visibility check. */
export const MAX_NODES_IDS = 50;

type Fetcher = (ctx: GraphQLContext, id: number) => Promise<object | null>;

/**
 * How `node(id)` fetches each type: through the same service call, and so the same ownership
 * check, as the type's own query (or, for types read through a parent, the parent's check).
 * Every type with a global id is listed: the compiler asks for a fetcher when one is added.
 */
const fetchers: Readonly<Record<NodeTypeName, Fetcher>> = {
  Order: (ctx, id) => ctx.services.orders.findVisible(ctx, id),
  LineItem: (ctx, id) => ctx.services.orders.findVisibleLineItem(ctx, id),
  Seller: (ctx, id) => ctx.services.parties.findVisibleSeller(ctx, id),
  Buyer: (ctx, id) => ctx.services.parties.findVisibleBuyer(ctx, id),
  CarrierService: (ctx, id) => ctx.services.catalog.findById(ctx, id),
  Shipment: (ctx, id) => ctx.services.tracking.findVisible(ctx, id),
  TrackingEvent: (ctx, id) => ctx.services.tracking.findVisibleEvent(ctx, id),
  DeliveryProof: (ctx, id) => ctx.services.deliveryProofs.findVisible(ctx, id),
  Notification: (ctx, id) => ctx.services.notifications.findVisible(ctx, id),
  LabelQuote: (ctx, id) => ctx.services.labelQuotes.findVisible(ctx, id),
  Label: (ctx, id) => ctx.services.labels.findVisible(ctx, id),
  LabelBatch: (ctx, id) => ctx.services.labelBatches.findVisible(ctx, id),
  WebhookEndpoint: (ctx, id) => ctx.services.webhooks.findVisibleEndpoint(ctx, id),
  WebhookDelivery: (ctx, id) => ctx.services.webhooks.findVisibleDelivery(ctx, id),
  Claim: (ctx, id) => ctx.services.claimReads.findVisible(ctx, id),
  ApiToken: (ctx, id) => ctx.services.apiTokens.findVisible(ctx, id),
  ShipFromLocation: (ctx, id) => ctx.services.parties.findVisibleShipFromLocation(ctx, id),
};

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description:
      'Fetches any object by its global id; null when it does not exist or is not yours.',
  })
  async node(
    @Arg('id', () => ID, { description: 'A global id.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<object | null> {
    requireViewer(ctx);
    return visibleNode(ctx, id);
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: `Fetches objects by their global ids (at most ${MAX_NODES_IDS}), in the order given; each is null when it does not exist or is not yours, as with \`node\`.`,
  })
  async nodes(
    @Arg('ids', () => [ID], { description: 'Global ids.' }) ids: string[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<(object | null)[]> {
    requireViewer(ctx);
    if (ids.length > MAX_NODES_IDS) {
      throw badInput(`ids takes at most ${MAX_NODES_IDS} ids`, 'ids');
    }
    return Promise.all(ids.map((id) => visibleNode(ctx, id)));
  }
}

/** `node(id)`'s answer: the object through its type's own visibility check, else null. */
function visibleNode(ctx: GraphQLContext, id: string): Promise<object | null> {
  const parsed = parseGlobalId(id);
  const fetch =
    parsed && Object.hasOwn(fetchers, parsed.type) && fetchers[parsed.type as NodeTypeName];
  return fetch ? fetch(ctx, parsed.id) : Promise.resolve(null);
}
