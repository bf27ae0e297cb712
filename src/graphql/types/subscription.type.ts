import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ShipmentStatus } from '../../entities/enums';
import { ShipmentChange } from '../../pubsub/event-bus';
import type { PublishedTrackingEvent } from '../../pubsub/event-bus';
import type { Shipment } from '../../entities';
import { ShipmentType, TrackingEventType } from './shipment.type';

registerEnumType(ShipmentChange, {
  name: 'ShipmentChange',
  description: 'What changed on a shipment.',
  valuesConfig: {
    CREATED: { description: 'A label was bought: the shipment exists.' },
    STATUS: { description: 'The tracking status moved.' },
    EVENT_ADDED: {
      description: 'A tracking event joined the history (it may be too old to move the status).',
    },
    ESTIMATED_DELIVERY: { description: 'The carrier changed its delivery estimate.' },
    DELIVERY_PROOF: { description: 'A delivery proof was recorded.' },
    CANCELLED: { description: 'The label was voided.' },
    CURRENT: {
      description:
        'Nothing new: the state as it stands, sent first to a subscriber that asked to catch up.',
    },
  },
});

@ObjectType('ShipmentUpdate', {
  description: 'One change of a shipment, pushed after it committed.',
})
export class ShipmentUpdateType {
  @Field(() => ShipmentType, { description: 'The shipment as committed.' })
  shipment!: Shipment;
  @Field(() => TrackingEventType, {
    nullable: true,
    description: 'The tracking event behind the change, when there is one.',
  })
  event!: PublishedTrackingEvent | null;
  @Field(() => [ShipmentChange], { description: 'Everything that changed.' })
  changes!: ShipmentChange[];
  @Field(() => ShipmentStatus, { nullable: true, description: 'The status before the change.' })
  previousStatus!: ShipmentStatus | null;
  @Field({
    description: 'Delivered without the signature that was paid for (see the delivery proof).',
  })
  signatureMissing!: boolean;
  @Field({ description: 'The delivery proof recorded with this change has a failed check.' })
  proofFlagged!: boolean;
}
