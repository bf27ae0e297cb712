import { Arg, Ctx, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import type { Order } from '../../entities';
import type { OrderChange, OrderChanged } from '../../pubsub/event-bus';
import type { GraphQLContext } from '../context';
import { payload } from '../payload';
import {
  ChangeOrderShipToInput,
  ImportOrdersInput,
  ImportOrdersPayload,
  OrderChangePayload,
  OrderIdInput,
  OrderUpdateType,
} from '../types/intake.type';

/** Orders in from a marketplace, and the platform's changes to them. */
@Resolver()
export class IntakeResolver {
  @Mutation(() => ImportOrdersPayload, {
    description:
      'Imports 1 to 100 orders of one source, each keyed by (source, externalId) and written with its risk assessment in a transaction of its own: the same order again is UNCHANGED, a changed one UPDATED (a changed ship-to marks addressChangedAfterCheckout), a bad one REJECTED with userErrors at its index, never blocking the others. Platform staff and integrations for any seller; a seller for itself.',
  })
  async importOrders(
    @Arg('input', () => ImportOrdersInput, { description: 'The source and its orders.' })
    input: ImportOrdersInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    const result = await payload(async () => ({
      results: await ctx.services.orderImport.importOrders(ctx, input),
    }));
    return { results: [], ...result };
  }

  @Mutation(() => OrderChangePayload, {
    description: 'Platform: puts an order on hold (a risk input) and reassesses it.',
  })
  holdOrder(
    @Arg('input', () => OrderIdInput, { description: 'The order.' }) input: OrderIdInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.orderChanges.hold(ctx, input.orderId));
  }

  @Mutation(() => OrderChangePayload, {
    description: "Platform: releases an order's hold and reassesses it.",
  })
  releaseOrder(
    @Arg('input', () => OrderIdInput, { description: 'The order.' }) input: OrderIdInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.orderChanges.release(ctx, input.orderId));
  }

  @Mutation(() => OrderChangePayload, {
    description:
      'Platform: cancels an order that has no label yet (ORDER_NOT_CANCELLABLE after) and reassesses it.',
  })
  cancelOrder(
    @Arg('input', () => OrderIdInput, { description: 'The order.' }) input: OrderIdInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.orderChanges.cancel(ctx, input.orderId));
  }

  @Mutation(() => OrderChangePayload, {
    description:
      'Platform: a new ship-to for an order awaiting shipment; marks addressChangedAfterCheckout and reassesses it.',
  })
  changeOrderShipTo(
    @Arg('input', () => ChangeOrderShipToInput, { description: 'The order and its ship-to.' })
    input: ChangeOrderShipToInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.orderChanges.changeShipTo(ctx, input));
  }

  @Subscription(() => OrderUpdateType, {
    description:
      "The calling seller's orders as the platform creates and changes them (import, hold, release, cancel, ship-to), each after it commits. Seller tokens only.",
    subscribe: ({ context }: { context: GraphQLContext }) =>
      context.services.orderChanges.subscribeSeller(context),
  })
  sellerOrderUpdated(
    @Root() change: OrderChanged,
    @Ctx() ctx: GraphQLContext,
  ): Promise<{ change: OrderChange; order: Order }> {
    return ctx.services.orderChanges.toUpdate(ctx, change);
  }
}
