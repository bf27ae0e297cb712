import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { payload } from '../payload';
import { toGlobalId } from '../../core/global-id';
import type { Address, ShipFromLocation } from '../../entities';
import { AddressType } from '../types/order.type';
import {
  ShipFromLocationType,
  UpsertBuyerInput,
  UpsertBuyerPayload,
  UpsertSellerInput,
  UpsertSellerPayload,
} from '../types/party.type';

/** The platform brings its sellers and buyers in: staff or a PLATFORM integration. */
@Resolver()
export class PartyIntakeResolver {
  @Mutation(() => UpsertSellerPayload, {
    description:
      'Creates or updates the seller with this externalId and its ship-from locations; the same input again changes nothing. Staff or a PLATFORM integration.',
  })
  upsertSeller(
    @Arg('input', () => UpsertSellerInput, { description: 'The seller.' })
    input: UpsertSellerInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.parties.upsertSeller(ctx, input));
  }

  @Mutation(() => UpsertBuyerPayload, {
    description:
      'Creates or updates the buyer with this externalId; the same input again changes nothing. Staff or a PLATFORM integration.',
  })
  upsertBuyer(
    @Arg('input', () => UpsertBuyerInput, { description: 'The buyer.' })
    input: UpsertBuyerInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.parties.upsertBuyer(ctx, input));
  }
}

@Resolver(() => ShipFromLocationType)
export class ShipFromLocationResolver {
  @FieldResolver(() => ID, { description: 'Opaque global id; pass it to createLabelQuote.' })
  id(@Root() location: ShipFromLocation): string {
    return toGlobalId('ShipFromLocation', location.id);
  }

  @FieldResolver(() => String)
  key(@Root() location: ShipFromLocation): string {
    return location.externalKey;
  }

  @FieldResolver(() => AddressType)
  async address(@Root() location: ShipFromLocation, @Ctx() ctx: GraphQLContext): Promise<Address> {
    const address = await ctx.loaders.addressById.load(location.addressId);
    if (!address) throw new Error(`ship-from location ${location.id} has no address`);
    return address;
  }
}
