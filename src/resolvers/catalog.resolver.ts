import { ID, Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import type { CarrierService } from '../entities';
import { Carrier } from '../entities/enums';
import { toGlobalId } from '../graphql/global-id';
import { CarrierServiceType, ServiceSignatureOptionType } from '../graphql/types/catalog.type';
import { Money } from '../graphql/types/money.type';

@Resolver(() => CarrierServiceType)
export class CatalogResolver {
  @Query(() => [CarrierServiceType], {
    description: 'The carrier catalog: services, their signature options, codes and fees.',
  })
  carrierServices(
    @Ctx() ctx: RequestContext,
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
    @Ctx() ctx: RequestContext,
  ): Promise<ServiceSignatureOptionType[]> {
    const options = await ctx.loaders.signatureOptionsByServiceId.load(service.id);
    return options.map((o) => ({
      option: o.option,
      supported: o.supported,
      carrierCode: o.carrierCode,
      fee: Money.of(o.feeMinor, o.feeCurrency),
      feeSource: o.feeSource,
      unavailableReason: o.unavailableReason,
    }));
  }
}
