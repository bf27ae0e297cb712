import { Field, Int, ObjectType } from 'type-graphql';
import {
  Address as AddressEntity,
  Buyer as BuyerEntity,
  LineItem as LineItemEntity,
} from '../../entities';
import { Order as OrderEntity, Seller as SellerEntity } from '../../entities';
import { OrderStatus, ShippingSpeed } from '../../entities/enums';
import { Connection } from './connection.type';
import { Money } from './money.type';
import { Node, exposeAs } from './node.type';

@ObjectType('Seller', {
  simpleResolvers: true,
  implements: Node,
  description: 'A shop selling on the marketplace.',
})
export class SellerType extends Node {
  @Field({ description: 'Shop name.' })
  name!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "The platform's id for the seller (upsertSeller); null for sellers made otherwise.",
  })
  externalId!: string | null;
}
exposeAs(SellerEntity, 'Seller');

@ObjectType('Buyer', {
  simpleResolvers: true,
  implements: Node,
  description: 'A customer who places orders.',
})
export class BuyerType extends Node {
  @Field({ description: 'Name as given at checkout.' })
  name!: string;
  @Field(() => String, {
    nullable: true,
    description: "The platform's id for the buyer (upsertBuyer); null for buyers made otherwise.",
  })
  externalId!: string | null;
}
exposeAs(BuyerEntity, 'Buyer');

@ObjectType('PostalAddress', { simpleResolvers: true, description: 'A postal address.' })
export class AddressType {
  @Field({ description: 'Recipient or addressee name.' })
  name!: string;
  @Field(() => String, { nullable: true, description: 'Company or organisation, if any.' })
  company!: string | null;
  @Field({ description: 'Street line.' })
  line1!: string;
  @Field(() => String, { nullable: true, description: 'Apartment, suite, unit.' })
  line2!: string | null;
  @Field({ description: 'City or town.' })
  city!: string;
  @Field({ description: 'State, province or region code.' })
  region!: string;
  @Field({ description: 'ZIP or postal code.' })
  postalCode!: string;
  @Field({ description: 'ISO 3166-1 alpha-2 country code.' })
  country!: string;
}
exposeAs(AddressEntity, 'PostalAddress');

@ObjectType('LineItem', {
  simpleResolvers: true,
  implements: Node,
  description: 'One product line of an order.',
})
export class LineItemType extends Node {
  @Field({ description: 'Stock keeping unit.' })
  sku!: string;
  @Field({ description: 'Product title.' })
  title!: string;
  @Field(() => Int, { description: 'Units ordered.' })
  quantity!: number;
  @Field(() => Money, { description: 'Price of one unit.' })
  unitPrice!: Money;
  @Field({ description: 'Product category, e.g. "electronics".' })
  category!: string;
  @Field({ description: 'Whether the carrier must check the recipient is 21 or older.' })
  ageRestricted!: boolean;
}
exposeAs(LineItemEntity, 'LineItem');

@ObjectType('OrderTotals', { simpleResolvers: true, description: 'Money totals of an order.' })
export class OrderTotalsType {
  @Field(() => Money, { description: 'Sum of the line items.' })
  subtotal!: Money;
  @Field(() => Money, { description: 'Shipping the buyer paid.' })
  shipping!: Money;
  @Field(() => Money, { description: 'Tax.' })
  tax!: Money;
  @Field(() => Money, { description: 'What the buyer paid in all.' })
  total!: Money;
}

@ObjectType('Parcel', { simpleResolvers: true, description: 'Package weight and dimensions.' })
export class ParcelType {
  @Field(() => Int, { description: 'Weight in ounces.' })
  weightOz!: number;
  @Field(() => Int, { description: 'Length in inches.' })
  lengthIn!: number;
  @Field(() => Int, { description: 'Width in inches.' })
  widthIn!: number;
  @Field(() => Int, { description: 'Height in inches.' })
  heightIn!: number;
}

@ObjectType('Order', {
  simpleResolvers: true,
  implements: Node,
  description: 'A marketplace order to be shipped by its seller.',
})
export class OrderType extends Node {
  @Field({ description: 'Order number shown to people, e.g. "CS-100001".' })
  number!: string;
  @Field(() => OrderStatus, { description: 'Fulfilment status.' })
  status!: OrderStatus;
  @Field(() => ShippingSpeed, { description: 'Shipping speed paid for at checkout.' })
  shippingSpeed!: ShippingSpeed;
  // onHold and addressChangedAfterCheckout are risk inputs: resolved in risk.resolver.ts, null
  // for buyers, as riskAssessment is.
  @Field({ description: 'When the buyer placed the order.' })
  placedAt!: Date;
  @Field({ description: 'When the order last changed.' })
  updatedAt!: Date;
}
exposeAs(OrderEntity, 'Order');

export const OrderConnection = Connection(OrderType, 'Order');
