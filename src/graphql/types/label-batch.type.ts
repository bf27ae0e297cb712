import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  LabelBatch as LabelBatchEntity,
  LabelBatchItem as LabelBatchItemEntity,
} from '../../entities';
import {
  LabelBatchItemStatus,
  LabelBatchRule,
  LabelBatchStatus,
  SignatureOption,
} from '../../entities/enums';
import type { UserError } from '../../core/user-error';
import { Node, exposeAs } from './node.type';
import { UserErrorInterface } from './user-error.type';

registerEnumType(LabelBatchStatus, {
  name: 'LabelBatchStatus',
  description: 'Where a label batch stands.',
  valuesConfig: {
    QUEUED: { description: 'Recorded; no item bought yet.' },
    RUNNING: { description: 'Items are being bought, one by one.' },
    COMPLETED: { description: 'Every item is done and the merged PDF is ready.' },
  },
});

registerEnumType(LabelBatchItemStatus, {
  name: 'LabelBatchItemStatus',
  description: 'Where one item of a label batch stands.',
  valuesConfig: {
    PENDING: { description: 'Not bought yet.' },
    SUCCEEDED: { description: 'The label is bought.' },
    FAILED: { description: 'Nothing was bought; userErrors say why.' },
  },
});

registerEnumType(LabelBatchRule, {
  name: 'LabelBatchRule',
  description: 'How a batch item without a quoted rate picks one.',
  valuesConfig: {
    CHEAPEST_SUPPORTING_RECOMMENDED: {
      description:
        'Quote the order now and buy the cheapest eligible rate that supports the recommended signature option, with that option.',
    },
  },
});

@InputType('LabelBatchItemInput', {
  description:
    'One order of a batch: a quoted rate with an option (as purchaseLabel takes them), or a rule; always a key.',
})
export class LabelBatchItemInput {
  @Field(() => ID, { description: 'Global id of one of your orders awaiting shipment.' })
  orderId!: string;
  @Field(() => ID, { nullable: true, description: "Global id of the order's quote." })
  quoteId?: string | null;
  @Field(() => String, { nullable: true, description: 'A rate id of that quote.' })
  rateId?: string | null;
  @Field(() => SignatureOption, { nullable: true, description: 'The option to buy.' })
  signatureOption?: SignatureOption | null;
  @Field(() => LabelBatchRule, {
    nullable: true,
    description: 'Instead of quoteId, rateId and signatureOption: how to pick the rate.',
  })
  rule?: LabelBatchRule | null;
  @Field({
    description:
      "Your key for this item's purchase (as purchaseLabel's): a retried item never buys twice. Distinct within the batch.",
  })
  idempotencyKey!: string;
}

@InputType('CreateLabelBatchInput', { description: 'The orders to buy labels for.' })
export class CreateLabelBatchInput {
  @Field(() => [LabelBatchItemInput], { description: '1 to 100 items, distinct orders and keys.' })
  items!: LabelBatchItemInput[];
}

@ObjectType('LabelBatch', {
  implements: Node,
  description:
    'Labels bought for many orders in one request, in the background: progress, per-item results and one PDF to print.',
})
export class LabelBatchType extends Node {
  @Field(() => LabelBatchStatus, { description: 'Where the batch stands.' })
  status!: LabelBatchStatus;
  @Field(() => Int, { description: 'Items in the batch.' })
  total!: number;
  @Field(() => Int, { description: 'Items done (succeeded or failed).' })
  done!: number;
  @Field(() => Int, { description: 'Items whose label was bought.' })
  succeeded!: number;
  @Field(() => Int, { description: 'Items that bought nothing.' })
  failed!: number;
  @Field({ description: 'When the batch was requested.' })
  createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When the last item was done.' })
  completedAt!: Date | null;
}
exposeAs(LabelBatchEntity, 'LabelBatch');

@ObjectType('LabelBatchItem', { description: 'One order of a batch and how it went.' })
export class LabelBatchItemType {
  @Field(() => Int, { description: 'Position in the request, from 0.' })
  index!: number;
  @Field(() => LabelBatchItemStatus, { description: 'Where the item stands.' })
  status!: LabelBatchItemStatus;
  @Field({ description: "The item's idempotency key." })
  idempotencyKey!: string;
}

@ObjectType('CreateLabelBatchPayload', { description: 'Result of createLabelBatch.' })
export class CreateLabelBatchPayload {
  @Field(() => LabelBatchType, {
    nullable: true,
    description: 'The batch, QUEUED; null when the input was refused.',
  })
  batch!: LabelBatchEntity | null;
  @Field(() => [UserErrorInterface], {
    description:
      'Why nothing was queued (field names the item, e.g. ["input","items","3","orderId"]).',
  })
  userErrors!: UserError[];
}

@ObjectType('LabelBatchProgress', {
  description: 'The batch after a change, and the item that just finished (null otherwise).',
})
export class LabelBatchProgressType {
  @Field(() => LabelBatchType, { description: 'The batch and its counters.' })
  batch!: LabelBatchEntity;
  @Field(() => LabelBatchItemType, { nullable: true, description: 'The item just done.' })
  item!: LabelBatchItemEntity | null;
}
