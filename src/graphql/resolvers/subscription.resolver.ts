import { Args, ArgsType, Ctx, Field, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { GraphQLContext } from '../context';
import type { ShipmentChanged } from '../../pubsub/event-bus';
import { ShipmentUpdateType } from '../types/subscription.type';
import type {
  SellerFeedArgs,
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

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'Start with the shipment as it stands (changes: [CURRENT]) before live changes: a client that reconnects sees what it missed. A change committed while subscribing may arrive as well.',
  })
  catchUp?: boolean | null;
}

@ArgsType()
export class SellerShipmentFeedArgsType {
  @Field(() => Date, {
    nullable: true,
    description:
      'Start with your shipments changed after this time (changes: [CURRENT], oldest first, at most 100) before live changes: pass the `shipment.updatedAt` of the last update you saw.',
  })
  changedSince?: Date | null;
}

interface SubscribeData<A = ShipmentUpdatedArgs> {
  args: A;
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
    subscribe: ({ args, context }: SubscribeData<SellerFeedArgs>) =>
      context.services.shipmentFeed.subscribeSellerFeed(context, args),
  })
  sellerShipmentFeed(
    @Root() change: ShipmentChanged,
    @Args() _args: SellerShipmentFeedArgsType,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ShipmentUpdate> {
    return ctx.services.shipmentFeed.toUpdate(ctx, change);
  }
}
