import { Field, ObjectType } from 'type-graphql';
import { Shipment as ShipmentEntity, TrackingEvent as TrackingEventEntity } from '../../entities';
import { Carrier, ShipmentStatus, SignatureOption } from '../../entities/enums';
import { Node, exposeAs } from './node.type';

@ObjectType('TrackingEvent', {
  simpleResolvers: true,
  implements: Node,
  description: 'One carrier scan or status change.',
})
export class TrackingEventType extends Node {
  @Field(() => ShipmentStatus, { description: 'Status the shipment had after this event.' })
  status!: ShipmentStatus;
  @Field(() => String, {
    nullable: true,
    description: 'Why, for failed attempts and exceptions, e.g. "SIGNATURE_UNAVAILABLE".',
  })
  reason!: string | null;
  @Field({ description: 'What happened, in words.' })
  description!: string;
  @Field(() => String, { nullable: true, description: 'Where, as the carrier reports it.' })
  location!: string | null;
  @Field({ description: 'When it happened (carrier time).' })
  occurredAt!: Date;
}
exposeAs(TrackingEventEntity, 'TrackingEvent');

@ObjectType('Shipment', {
  simpleResolvers: true,
  implements: Node,
  description: 'A parcel on its way: tracking number, status, signature requirement and events.',
})
export class ShipmentType extends Node {
  @Field({ description: 'Carrier tracking number.' })
  trackingNumber!: string;
  @Field(() => Carrier, { description: 'The carrier.' })
  carrier!: Carrier;
  @Field(() => ShipmentStatus, { description: 'Current tracking status.' })
  status!: ShipmentStatus;
  @Field(() => String, {
    nullable: true,
    description: 'Why the status, e.g. "SIGNATURE_UNAVAILABLE" after a failed attempt.',
  })
  statusReason!: string | null;
  @Field(() => SignatureOption, { description: 'Signature the carrier will ask for on delivery.' })
  signatureRequirement!: SignatureOption;
  @Field(() => Date, { nullable: true, description: 'When the carrier expects to deliver.' })
  estimatedDeliveryAt!: Date | null;
  @Field({ description: 'When the shipment last changed.' })
  updatedAt!: Date;
}
exposeAs(ShipmentEntity, 'Shipment');
