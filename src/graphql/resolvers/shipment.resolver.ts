import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context';
import type { DeliveryProof, Order, Shipment, TrackingEvent } from '../../entities';
import { toGlobalId } from '../../core/global-id';
import { signatureRequirementText } from '../../core/signature-text';
import { OrderType } from '../types/order.type';
import { DeliveryProofType } from '../types/proof.type';
import { ShipmentType, TrackingEventType } from '../types/shipment.type';
import type { PublishedTrackingEvent } from '../../pubsub/event-bus';

@Resolver(() => ShipmentType)
export class ShipmentResolver {
  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() shipment: Shipment): string {
    return toGlobalId('Shipment', shipment.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'The requirement as shown in tracking: "Signature Required", "Adult Signature Required (21+)", or null.',
  })
  signatureRequirementText(@Root() shipment: Shipment): string | null {
    return signatureRequirementText(shipment.signatureRequirement);
  }

  @FieldResolver(() => [TrackingEventType], { description: 'Events, oldest first (carrier time).' })
  events(@Root() shipment: Shipment, @Ctx() ctx: GraphQLContext): Promise<TrackingEvent[]> {
    return ctx.loaders.trackingEventsByShipmentId.load(shipment.id);
  }

  @FieldResolver(() => OrderType, { description: 'The order being shipped.' })
  async order(@Root() shipment: Shipment, @Ctx() ctx: GraphQLContext): Promise<Order> {
    return (await ctx.loaders.orderById.load(shipment.orderId)) as Order;
  }

  @FieldResolver(() => DeliveryProofType, {
    nullable: true,
    description:
      'What the carrier captured at delivery, once delivered with a signature or with one paid for.',
  })
  deliveryProof(
    @Root() shipment: Shipment,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DeliveryProof | null> {
    return ctx.services.deliveryProofs.findForShipment(ctx, shipment);
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
    @Root() event: TrackingEvent | PublishedTrackingEvent,
    @Ctx() ctx: GraphQLContext,
  ): Promise<string | null> {
    // Published events carry the requirement: subscribers need no read for it.
    if ('signatureRequirement' in event)
      return signatureRequirementText(event.signatureRequirement);
    const shipment = await ctx.loaders.shipmentById.load(event.shipmentId);
    return shipment ? signatureRequirementText(shipment.signatureRequirement) : null;
  }
}
