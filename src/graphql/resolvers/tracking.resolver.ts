import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import type { Shipment } from '../../entities';
import { ShipmentType } from '../types/shipment.type';

@Resolver(() => ShipmentType)
export class TrackingResolver {
  @Query(() => ShipmentType, {
    nullable: true,
    description:
      "A shipment by its carrier tracking number, for the order's buyer and seller; null for anyone else.",
  })
  shipment(
    @Arg('trackingNumber', { description: 'Carrier tracking number.' }) trackingNumber: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Shipment | null> {
    return ctx.services.tracking.findByTrackingNumber(ctx, trackingNumber);
  }
}
