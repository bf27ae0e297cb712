import { Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context';
import type { Notification, Order } from '../../entities';
import { toGlobalId } from '../../core/global-id';
import { CreatedAtConnectionArgs, pageArgs } from '../types/connection.type';
import type { Page } from '../../core/page';
import { NotificationConnection, NotificationType } from '../types/notification.type';
import { OrderType } from '../types/order.type';

@Resolver(() => NotificationType)
export class NotificationResolver {
  @Query(() => NotificationConnection, {
    description: "The calling buyer's notifications, newest first (buyer tokens only).",
  })
  notifications(
    @Args() args: CreatedAtConnectionArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Page<Notification>> {
    return ctx.services.notifications.list(ctx, pageArgs(args));
  }

  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() notification: Notification): string {
    return toGlobalId('Notification', notification.id);
  }

  @FieldResolver(() => OrderType, { description: 'The order it is about.' })
  async order(@Root() notification: Notification, @Ctx() ctx: GraphQLContext): Promise<Order> {
    return (await ctx.loaders.orderById.load(notification.orderId)) as Order;
  }
}
