import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import type { Shipment, TrackingEvent } from '../entities';
import { toGlobalId } from '../graphql/global-id';
import { signatureRequirementText } from '../graphql/signature-text';
import { ShipmentType, TrackingEventType } from '../graphql/types/shipment.type';

@Resolver(() => ShipmentType)
export class ShipmentResolver {
  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() shipment: Shipment): string {
    return toGlobalId('Shipment', shipment.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The requirement as shown in tracking: "Signature Required", "Adult Signature Required (21+)", or null.',
  })
  signatureRequirementText(@Root() shipment: Shipment): string | null {
    return signatureRequirementText(shipment.signatureRequirement);
  }

  @FieldResolver(() => [TrackingEventType], { description: 'Events, oldest first (carrier time).' })
  events(@Root() shipment: Shipment, @Ctx() ctx: RequestContext): Promise<TrackingEvent[]> {
    return ctx.loaders.trackingEventsByShipmentId.load(shipment.id);
  }
}

@Resolver(() => TrackingEventType)
export class TrackingEventResolver {
  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() event: TrackingEvent): string {
    return toGlobalId('TrackingEvent', event.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The signature requirement of the shipment, as shown on every event.',
  })
  async signatureRequirementText(
    @Root() event: TrackingEvent,
    @Ctx() ctx: RequestContext,
  ): Promise<string | null> {
    const shipment = await ctx.loaders.shipmentById.load(event.shipmentId);
    return shipment ? signatureRequirementText(shipment.signatureRequirement) : null;
  }
}
