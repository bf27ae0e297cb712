import { money } from '../../core/money';
import { Ctx, ID, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Buyer, LineItem, Seller, ShipFromLocation } from '../../entities';
import type { GraphQLContext } from '../context';
import { ShipFromLocationType } from '../types/party.type';
import { toGlobalId } from '../../core/global-id';
import { Money } from '../types/money.type';
import { BuyerType, LineItemType, SellerType } from '../types/order.type';

/** Global ids and money of the small order-side types. */
@Resolver(() => LineItemType)
export class LineItemResolver {
  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() item: LineItem): string {
    return toGlobalId('LineItem', item.id);
  }

  @FieldResolver(() => Money)
  unitPrice(@Root() item: LineItem): Money {
    return money(item.unitPriceMinor, item.currency);
  }
}

@Resolver(() => SellerType)
export class SellerResolver {
  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() seller: Seller): string {
    return toGlobalId('Seller', seller.id);
  }

  @FieldResolver(() => [ShipFromLocationType], {
    nullable: true,
    description:
      'Where the seller ships from, the default first: to the seller, staff and the platform; null to others.',
  })
  shipFromLocations(
    @Root() seller: Seller,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ShipFromLocation[]> | null {
    return ctx.services.parties.shipFromLocations(ctx, seller.id);
  }
}

@Resolver(() => BuyerType)
export class BuyerResolver {
  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() buyer: Buyer): string {
    return toGlobalId('Buyer', buyer.id);
  }
}
