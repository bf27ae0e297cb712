import { money } from '../../core/money';
import { ID, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Buyer, LineItem, Seller } from '../../entities';
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
}

@Resolver(() => BuyerType)
export class BuyerResolver {
  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() buyer: Buyer): string {
    return toGlobalId('Buyer', buyer.id);
  }
}
