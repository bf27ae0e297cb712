import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Order as OrderEntity, RiskAssessment as RiskAssessmentEntity } from '../../entities';
import { ShippingSpeed } from '../../entities/enums';
import { OrderChange } from '../../pubsub/event-bus';
import { ImportOutcome } from '../../services/intake/order-writes';
import { OrderType } from './order.type';
import { ParcelInput } from './quote.type';
import { PostalAddressInput } from './address-input.type';
import { RiskAssessmentType } from './risk.type';
import { UserErrorInterface } from './user-error.type';

registerEnumType(ImportOutcome, {
  name: 'ImportOutcome',
  description: 'What an import did with one order.',
  valuesConfig: {
    CREATED: { description: 'A new order, assessed.' },
    UNCHANGED: { description: 'The same order was imported before; nothing was written.' },
    UPDATED: {
      description:
        'The order changed (a changed ship-to also marks addressChangedAfterCheckout) and was reassessed.',
    },
    REJECTED: { description: 'Nothing of this order was written; userErrors say why.' },
  },
});

registerEnumType(OrderChange, {
  name: 'OrderChange',
  description: 'What the platform did to an order.',
  valuesConfig: {
    CREATED: { description: 'Imported.' },
    UPDATED: { description: 'Imported again with changes.' },
    HELD: { description: 'Put on hold.' },
    RELEASED: { description: 'Hold released.' },
    CANCELLED: { description: 'Cancelled before a label.' },
    SHIP_TO_CHANGED: { description: 'The ship-to changed after checkout.' },
  },
});

@InputType('ImportLineItemInput', { description: 'One product line of an imported order.' })
export class ImportLineItemInput {
  @Field({ description: 'Stock keeping unit.' })
  sku!: string;
  @Field({ description: 'Product title.' })
  title!: string;
  @Field(() => Int, { description: 'Units ordered (1 to 10000).' })
  quantity!: number;
  @Field(() => Int, { description: 'Price of one unit in minor units (cents).' })
  unitPriceMinor!: number;
  @Field({ description: 'Product category, e.g. "electronics".' })
  category!: string;
  @Field({ description: 'Alcohol, tobacco or vapes: the carrier must check the recipient is 21+.' })
  ageRestricted!: boolean;
}

@InputType('ImportOrderInput', {
  description: 'One order as the marketplace has it; money in integer minor units that add up.',
})
export class ImportOrderInput {
  @Field({ description: "The order's id in its source; with the source, the import's key." })
  externalId!: string;
  @Field({ description: 'Order number shown to people; unique within the source.' })
  number!: string;
  @Field(() => ID, { description: 'Global id of the seller.' })
  sellerId!: string;
  @Field(() => ID, { description: 'Global id of the buyer.' })
  buyerId!: string;
  @Field({ description: 'ISO 4217 currency code; USD.' })
  currency!: string;
  @Field(() => [ImportLineItemInput], { description: '1 to 100 product lines.' })
  lineItems!: ImportLineItemInput[];
  @Field(() => Int, { description: 'Sum of quantity × unitPriceMinor.' })
  subtotalMinor!: number;
  @Field(() => Int, { description: 'Shipping the buyer paid.' })
  shippingMinor!: number;
  @Field(() => Int, { description: 'Tax.' })
  taxMinor!: number;
  @Field(() => Int, { description: 'subtotal + shipping + tax.' })
  totalMinor!: number;
  @Field(() => ShippingSpeed, { description: 'Shipping speed paid for at checkout.' })
  shippingSpeed!: ShippingSpeed;
  @Field(() => PostalAddressInput, { description: 'Where it ships to.' })
  shipTo!: PostalAddressInput;
  @Field(() => PostalAddressInput, { description: 'The billing address of the payment.' })
  billingAddress!: PostalAddressInput;
  @Field({ description: 'When the buyer placed the order.' })
  placedAt!: Date;
  @Field(() => ParcelInput, { description: 'Default parcel for the label.' })
  parcel!: ParcelInput;
  @Field(() => Boolean, {
    nullable: true,
    description: 'The platform holds the order (default false).',
  })
  onHold?: boolean | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'The ship-to was changed after payment (default false).',
  })
  addressChangedAfterCheckout?: boolean | null;
}

@InputType('ImportOrdersInput', { description: 'Orders from one marketplace source.' })
export class ImportOrdersInput {
  @Field({
    description:
      'Names the marketplace or channel, e.g. "acme-market" (1 to 40 of A-Z a-z 0-9 . _ -).',
  })
  source!: string;
  @Field(() => [ImportOrderInput], { description: '1 to 100 orders.' })
  orders!: ImportOrderInput[];
}

@ObjectType('ImportOrderResult', { description: 'What happened to one order of an import.' })
export class ImportOrderResultType {
  @Field(() => Int, { description: 'Position of the order in the input, from 0.' })
  index!: number;
  @Field(() => ImportOutcome, { description: 'Created, unchanged, updated or rejected.' })
  outcome!: ImportOutcome;
  @Field(() => OrderType, {
    nullable: true,
    description: 'The order as stored; null when rejected.',
  })
  order!: OrderEntity | null;
  @Field(() => [UserErrorInterface], {
    description: 'Why it was rejected; each field starts with "orders", the index, then the path.',
  })
  userErrors!: UserErrorInterface[];
}

@ObjectType('ImportOrdersPayload', { description: 'Result of importOrders.' })
export class ImportOrdersPayload {
  @Field(() => [ImportOrderResultType], { description: 'One result per order, in input order.' })
  results!: ImportOrderResultType[];
  @Field(() => [UserErrorInterface], {
    description: 'Why the whole import was refused (nothing written); empty otherwise.',
  })
  userErrors!: UserErrorInterface[];
}

@InputType('OrderIdInput', { description: 'The order to act on.' })
export class OrderIdInput {
  @Field(() => ID, { description: 'Global id of the order.' })
  orderId!: string;
}

@InputType('ChangeOrderShipToInput', { description: 'The order and its new ship-to.' })
export class ChangeOrderShipToInput {
  @Field(() => ID, { description: 'Global id of the order.' })
  orderId!: string;
  @Field(() => PostalAddressInput, { description: 'The new ship-to address.' })
  shipTo!: PostalAddressInput;
}

@ObjectType('OrderChangePayload', {
  description: 'Result of holdOrder, releaseOrder, cancelOrder and changeOrderShipTo.',
})
export class OrderChangePayload {
  @Field(() => OrderType, { nullable: true, description: 'The order as changed.' })
  order!: OrderEntity | null;
  @Field(() => RiskAssessmentType, {
    nullable: true,
    description: 'The assessment made in the same transaction.',
  })
  riskAssessment!: RiskAssessmentEntity | null;
  @Field(() => [UserErrorInterface], { description: 'Why nothing changed; empty on success.' })
  userErrors!: UserErrorInterface[];
}

@ObjectType('OrderUpdate', {
  description: "A change the platform made to one of the seller's orders.",
})
export class OrderUpdateType {
  @Field(() => OrderChange, { description: 'What changed.' })
  change!: OrderChange;
  @Field(() => OrderType, { description: 'The order as committed.' })
  order!: OrderEntity;
}
