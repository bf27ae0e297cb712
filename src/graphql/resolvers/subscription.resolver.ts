import { Args, ArgsType, Ctx, Field, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { GraphQLContext } from '../context';
import type { ShipmentChanged } from '../../pubsub/event-bus';
import { ShipmentUpdateType } from '../types/subscription.type';
import type {
  ShipmentUpdate,
  ShipmentUpdatedArgs,
} from '../../services/tracking/shipment-feed.service';

@ArgsType()
export class ShipmentUpdatedArgsType {
  @Field(() => ID, { nullable: true, description: 'Global id of the shipment to follow.' })
  shipmentId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'Global id of an order whose shipment to follow (also one bought after subscribing).',
  })
  orderId?: string | null;
}

interface SubscribeData {
  args: ShipmentUpdatedArgs;
  context: GraphQLContext;
}

/** Live tracking over graphql-ws; ownership is checked when subscribing, in the service. */
@Resolver()
export class SubscriptionResolver {
  @Subscription(() => ShipmentUpdateType, {
    description:
      "Changes of one shipment, or of an order's shipment: give exactly one of shipmentId and orderId. For the order's buyer and seller; others get NOT_FOUND.",
    subscribe: ({ args, context }: SubscribeData) =>
      context.services.shipmentFeed.subscribeShipment(context, args),
  })
  shipmentUpdated(
    @Root() change: ShipmentChanged,
    @Args() _args: ShipmentUpdatedArgsType,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ShipmentUpdate> {
    return ctx.services.shipmentFeed.toUpdate(ctx, change);
  }

  @Subscription(() => ShipmentUpdateType, {
    description:
      "Every change of the calling seller's shipments, for the dashboard; `signatureMissing` flags a delivery without the signature that was paid for.",
    subscribe: ({ context }: SubscribeData) =>
      context.services.shipmentFeed.subscribeSellerFeed(context),
  })
  sellerShipmentFeed(
    @Root() change: ShipmentChanged,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ShipmentUpdate> {
    return ctx.services.shipmentFeed.toUpdate(ctx, change);
  }
}
