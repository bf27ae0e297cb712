import { money } from '../../core/money';
import { ID, Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context';
import type { CarrierService } from '../../entities';
import { Carrier } from '../../entities/enums';
import { toGlobalId } from '../../core/global-id';
import { CarrierServiceType, ServiceSignatureOptionType } from '../types/catalog.type';

@Resolver(() => CarrierServiceType)
export class CatalogResolver {
  @Query(() => [CarrierServiceType], {
    description: 'The carrier catalog: services, their signature options, codes and fees.',
  })
  carrierServices(
    @Ctx() ctx: GraphQLContext,
    @Arg('carrier', () => Carrier, { nullable: true, description: 'Only this carrier.' })
    carrier?: Carrier | null,
  ): Promise<CarrierService[]> {
    return ctx.services.catalog.list(ctx, carrier);
  }

  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() service: CarrierService): string {
    return toGlobalId('CarrierService', service.id);
  }

  @FieldResolver(() => [ServiceSignatureOptionType], {
    description: 'Every signature option, supported or not.',
  })
  async signatureOptions(
    @Root() service: CarrierService,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ServiceSignatureOptionType[]> {
    const options = await ctx.loaders.signatureOptionsByServiceId.load(service.id);
    return options.map((o) => ({
      option: o.option,
      supported: o.supported,
      carrierCode: o.carrierCode,
      fee: money(o.feeMinor, o.feeCurrency),
      feeSource: o.feeSource,
      unavailableReason: o.unavailableReason,
    }));
  }
}
