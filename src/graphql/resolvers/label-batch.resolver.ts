import {
  Arg,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { toGlobalId } from '../../core/global-id';
import { fromGlobalId } from '../../core/global-id';
import type { UserError } from '../../core/user-error';
import type { Label, LabelBatch, LabelBatchItem, Order } from '../../entities';
import type { LabelBatchProgress } from '../../pubsub/event-bus';
import type { LabelBatchUpdate } from '../../services/label-batch.service';
import type { LabelDocumentLink } from '../../services/label-documents.service';
import type { GraphQLContext } from '../context';
import { payload } from '../payload';
import {
  CreateLabelBatchInput,
  CreateLabelBatchPayload,
  LabelBatchItemType,
  LabelBatchProgressType,
  LabelBatchType,
} from '../types/label-batch.type';
import { LabelDocumentLinkType, LabelType } from '../types/label.type';
import { OrderType } from '../types/order.type';
import { UserErrorInterface } from '../types/user-error.type';

interface SubscribeData {
  args: { batchId: string };
  context: GraphQLContext;
}

@Resolver(() => LabelBatchType)
export class LabelBatchResolver {
  @Mutation(() => CreateLabelBatchPayload, {
    description:
      'Queues label purchases for up to 100 of your orders; they are bought in the background (follow labelBatchProgress). The whole input is checked first: any problem refuses the batch with userErrors naming the item.',
  })
  createLabelBatch(
    @Arg('input', () => CreateLabelBatchInput, { description: 'The items.' })
    input: CreateLabelBatchInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.labelBatches.create(ctx, input));
  }

  @Query(() => LabelBatchType, {
    nullable: true,
    description: 'One of your label batches; null when it does not exist or is not yours.',
  })
  labelBatch(
    @Arg('id', () => ID, { description: 'Global id of the batch.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LabelBatch | null> {
    return ctx.services.labelBatches.findVisible(ctx, fromGlobalId(id, 'LabelBatch'));
  }

  @Subscription(() => LabelBatchProgressType, {
    description:
      'Progress of one of your label batches: its state as it stands first, then after each item and when it completes. Others get NOT_FOUND.',
    subscribe: ({ args, context }: SubscribeData) =>
      context.services.labelBatches.subscribeProgress(
        context,
        fromGlobalId(args.batchId, 'LabelBatch', 'batchId'),
      ),
  })
  labelBatchProgress(
    @Root() progress: LabelBatchProgress,
    @Arg('batchId', () => ID, { description: 'Global id of the batch.' }) _batchId: string,
    @Ctx() ctx: GraphQLContext,
  ): LabelBatchUpdate {
    return ctx.services.labelBatches.toUpdate(progress);
  }

  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() batch: LabelBatch): string {
    return toGlobalId('LabelBatch', batch.id);
  }

  @FieldResolver(() => [LabelBatchItemType], { description: 'Every item, in request order.' })
  items(@Root() batch: LabelBatch, @Ctx() ctx: GraphQLContext): Promise<LabelBatchItem[]> {
    return ctx.services.labelBatches.items(ctx, batch);
  }

  @FieldResolver(() => LabelDocumentLinkType, {
    nullable: true,
    description:
      'A short-lived signed link to one PDF with a page per label bought, in item order; null until the batch is COMPLETED (or when nothing was bought).',
  })
  mergedDocument(@Root() batch: LabelBatch, @Ctx() ctx: GraphQLContext): LabelDocumentLink | null {
    return ctx.services.labelBatches.mergedDocumentLink(ctx, batch);
  }
}

@Resolver(() => LabelBatchItemType)
export class LabelBatchItemResolver {
  @FieldResolver(() => OrderType, { nullable: true, description: 'The order.' })
  async order(@Root() item: LabelBatchItem, @Ctx() ctx: GraphQLContext): Promise<Order | null> {
    if (item.orderId === undefined) return null;
    return (await ctx.loaders.orderById.load(item.orderId)) ?? null;
  }

  @FieldResolver(() => LabelType, { nullable: true, description: 'The label bought, if any.' })
  async label(@Root() item: LabelBatchItem, @Ctx() ctx: GraphQLContext): Promise<Label | null> {
    if (item.labelId === null) return null;
    return (await ctx.loaders.labelById.load(item.labelId)) ?? null;
  }

  @FieldResolver(() => [UserErrorInterface], {
    description: 'Why the item bought nothing (FAILED); empty otherwise.',
  })
  userErrors(@Root() item: LabelBatchItem): UserError[] {
    if (!item.errorCode) return [];
    return [
      {
        code: item.errorCode as UserError['code'],
        field: item.errorField,
        message: item.errorMessage ?? item.errorCode,
      },
    ];
  }
}
