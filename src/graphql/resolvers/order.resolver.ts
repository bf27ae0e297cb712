import { money } from '../../core/money';
import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Info,
  InputType,
  Query,
  Resolver,
  Root,
  registerEnumType,
} from 'type-graphql';
import type { GraphQLContext } from '../context';
import type { Address, Buyer, LineItem, Seller, Shipment } from '../../entities';
import { Order } from '../../entities';
import { OrderStatus, RiskLevel } from '../../entities/enums';
import { fromGlobalId, toGlobalId } from '../../core/global-id';
import {
  AddressType,
  BuyerType,
  LineItemType,
  OrderConnection,
  OrderTotalsType,
  OrderType,
  ParcelType,
  SellerType,
} from '../types/order.type';
import { ConnectionArgs, OrderDirection, pageArgs } from '../types/connection.type';
import type { Page } from '../../core/page';
import { ShipmentType } from '../types/shipment.type';
import { mapNow } from '../../loaders/loaders';
import { selectedFieldNames } from '../selection';
import type { GraphQLResolveInfo } from 'graphql';

@InputType('OrderFilter', { description: 'Narrows an order list; all given fields must match.' })
export class OrderFilterInput {
  @Field(() => OrderStatus, { nullable: true, description: 'Only orders in this status.' })
  status?: OrderStatus | null;

  @Field(() => RiskLevel, {
    nullable: true,
    description: 'Only orders whose current risk assessment has this level (e.g. HIGH).',
  })
  riskLevel?: RiskLevel | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'true: only orders for which a signature option is recommended; false: only those without.',
  })
  signatureRecommended?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Only the order(s) with this number.' })
  number?: string | null;

  @Field(() => String, { nullable: true, description: 'Only orders imported from this source.' })
  source?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only the order(s) with this id in their source (give `source` too for one).',
  })
  externalId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Only orders placed at or after this time.' })
  placedAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only orders placed before this time.' })
  placedBefore?: Date | null;
}

/** What the orders list can be ordered by. */
export enum OrdersOrderField {
  PLACED_AT = 'PLACED_AT',
}
registerEnumType(OrdersOrderField, {
  name: 'OrdersOrderField',
  description: 'What the orders list is ordered by.',
  valuesConfig: { PLACED_AT: { description: 'When the buyer placed the order.' } },
});

@InputType('OrdersOrder', { description: 'Order of the orders list.' })
export class OrdersOrder {
  @Field(() => OrdersOrderField, {
    defaultValue: OrdersOrderField.PLACED_AT,
    description: 'The field to order by.',
  })
  field!: OrdersOrderField;

  @Field(() => OrderDirection, {
    defaultValue: OrderDirection.DESC,
    description: 'Newest first (DESC, the default) or oldest first (ASC).',
  })
  direction!: OrderDirection;
}

@ArgsType()
export class OrdersArgs extends ConnectionArgs {
  @Field(() => OrderFilterInput, { nullable: true, description: 'Filter to apply.' })
  filter?: OrderFilterInput | null;

  @Field(() => OrdersOrder, {
    nullable: true,
    description: 'Newest placed first unless `direction: ASC`.',
  })
  orderBy?: OrdersOrder | null;
}

@Resolver(() => OrderType)
export class OrderResolver {
  @Query(() => OrderType, {
    nullable: true,
    description: 'One order; null when it does not exist or belongs to someone else.',
  })
  order(
    @Arg('id', () => ID, { description: 'Global id of the order.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Order | null> {
    return ctx.services.orders.findVisible(ctx, fromGlobalId(id, 'Order'));
  }

  @Query(() => OrderConnection, {
    description:
      "Orders the caller may see, newest placed first (see `orderBy`): a seller's own, or a buyer's own.",
  })
  orders(
    @Args() args: OrdersArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<Order>> {
    // The relations the operation reads come with the page, in its one statement.
    const fields = new Set([
      ...selectedFieldNames(info, ['edges'], ['node']),
      ...selectedFieldNames(info, ['nodes']),
    ]);
    return ctx.services.orders.list(ctx, pageArgs(args), {
      items: fields.has('items'),
      label: fields.has('label'),
      shipments: fields.has('shipment'),
    });
  }

  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() order: Order): string {
    return toGlobalId('Order', order.id);
  }

  @FieldResolver(() => OrderTotalsType, { description: 'Money totals.' })
  totals(@Root() o: Order): OrderTotalsType {
    return {
      subtotal: money(o.subtotalMinor, o.currency),
      shipping: money(o.shippingMinor, o.currency),
      tax: money(o.taxMinor, o.currency),
      total: money(o.totalMinor, o.currency),
    };
  }

  @FieldResolver(() => ParcelType, { description: 'Default parcel for the label.' })
  parcel(@Root() o: Order): ParcelType {
    return {
      weightOz: o.parcelWeightOz,
      lengthIn: o.parcelLengthIn,
      widthIn: o.parcelWidthIn,
      heightIn: o.parcelHeightIn,
    };
  }

  // Relations answer synchronously when the value is in hand (Loader.loadNow): a page primes
  // them, and graphql-js then completes the subtree without a promise per field.
  @FieldResolver(() => [LineItemType], { description: 'Products ordered.' })
  items(@Root() o: Order, @Ctx() ctx: GraphQLContext): LineItem[] | Promise<LineItem[]> {
    return ctx.loaders.lineItemsByOrderId.loadNow(o.id);
  }

  @FieldResolver(() => BuyerType, { description: 'Who placed the order.' })
  buyer(@Root() o: Order, @Ctx() ctx: GraphQLContext): Buyer | Promise<Buyer> {
    return ctx.loaders.buyerById.loadNow(o.buyerId) as Buyer | Promise<Buyer>;
  }

  @FieldResolver(() => SellerType, { description: 'Who sells and ships it.' })
  seller(@Root() o: Order, @Ctx() ctx: GraphQLContext): Seller | Promise<Seller> {
    return ctx.loaders.sellerById.loadNow(o.sellerId) as Seller | Promise<Seller>;
  }

  @FieldResolver(() => AddressType, { description: 'Where it ships to.' })
  shipTo(@Root() o: Order, @Ctx() ctx: GraphQLContext): Address | Promise<Address> {
    return ctx.loaders.addressById.loadNow(o.shipToAddressId) as Address | Promise<Address>;
  }

  @FieldResolver(() => ShipmentType, {
    nullable: true,
    description: "The current shipment (the latest label's), once a label is bought.",
  })
  shipment(
    @Root() o: Order,
    @Ctx() ctx: GraphQLContext,
  ): Shipment | null | Promise<Shipment | null> {
    return mapNow(
      ctx.loaders.shipmentsByOrderId.loadNow(o.id),
      (shipments) => shipments[shipments.length - 1] ?? null,
    );
  }

  @FieldResolver(() => AddressType, { description: 'The billing address of the payment.' })
  billingAddress(@Root() o: Order, @Ctx() ctx: GraphQLContext): Address | Promise<Address> {
    return ctx.loaders.addressById.loadNow(o.billingAddressId) as Address | Promise<Address>;
  }
}
