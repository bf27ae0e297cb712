import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import {
  WebhookAttempt as WebhookAttemptEntity,
  WebhookDelivery as WebhookDeliveryEntity,
  WebhookEndpoint as WebhookEndpointEntity,
} from '../../entities';
import { WebhookDeliveryStatus, WebhookEndpointStatus } from '../../entities/enums';
import { Connection } from './connection.type';
import { Node, exposeAs } from './node.type';
import { UserErrorInterface } from './user-error.type';

@ObjectType('WebhookEndpoint', {
  implements: Node,
  description:
    'A URL that receives signed webhooks for the events it subscribes to. Its secret is shown once, by createWebhookEndpoint.',
})
export class WebhookEndpointType extends Node {
  @Field({ description: 'Where events are POSTed.' })
  url!: string;
  @Field(() => [String], {
    description:
      'Subscribed events: label.purchased, label.voided, shipment.updated, proof.recorded, claim.updated.',
  })
  events!: string[];
  @Field(() => WebhookEndpointStatus, { description: 'ACTIVE, or DISABLED after failures.' })
  status!: WebhookEndpointStatus;
  @Field(() => Int, { description: 'Deliveries that failed in a row (a success resets it).' })
  consecutiveFailures!: number;
  @Field(() => Date, { nullable: true, description: 'When it was disabled.' })
  disabledAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why it was disabled: the notice to you.' })
  disabledReason!: string | null;
  @Field({ description: 'When it was registered.' })
  createdAt!: Date;
}
exposeAs(WebhookEndpointEntity, 'WebhookEndpoint');

@ObjectType('WebhookAttempt', { description: 'One POST of a delivery and its answer.' })
export class WebhookAttemptType {
  @Field(() => Int, { description: '1 for the first attempt of the delivery.' })
  attemptNo!: number;
  @Field(() => Int, { nullable: true, description: 'HTTP status; null when none came.' })
  statusCode!: number | null;
  @Field(() => String, { nullable: true, description: 'Why it failed; null on success.' })
  error!: string | null;
  @Field(() => Int, { description: 'How long it took.' })
  durationMs!: number;
  @Field({ description: 'When it was made.' })
  at!: Date;
}
exposeAs(WebhookAttemptEntity, 'WebhookAttempt');

@ObjectType('WebhookDelivery', {
  implements: Node,
  description: 'One event for one endpoint, with every attempt to deliver it.',
})
export class WebhookDeliveryType extends Node {
  @Field({ description: 'The event type, e.g. label.purchased.' })
  event!: string;
  @Field({
    description:
      'The event id (body `id`, header `Countersign-Event-Id`): the same on every retry and redelivery.',
  })
  eventId!: string;
  @Field({ description: 'The JSON body sent.' })
  payload!: string;
  @Field(() => WebhookDeliveryStatus, { description: 'PENDING, DELIVERED or FAILED.' })
  status!: WebhookDeliveryStatus;
  @Field(() => Date, { description: 'Not retried before this.' })
  nextAttemptAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When the endpoint accepted it.' })
  deliveredAt!: Date | null;
  @Field({ description: 'When it was written.' })
  createdAt!: Date;
}
exposeAs(WebhookDeliveryEntity, 'WebhookDelivery');

export const WebhookDeliveryConnection = Connection(WebhookDeliveryType, 'WebhookDelivery');

@InputType('CreateWebhookEndpointInput', { description: 'Where to send which events.' })
export class CreateWebhookEndpointInput {
  @Field({ description: 'An https URL on a public host.' })
  url!: string;
  @Field(() => [String], { description: 'Events to receive (see WebhookEndpoint.events).' })
  events!: string[];
}

@ObjectType('CreateWebhookEndpointPayload', { description: 'Result of createWebhookEndpoint.' })
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpointType, { nullable: true, description: 'The endpoint registered.' })
  endpoint!: WebhookEndpointEntity | null;
  @Field(() => String, {
    nullable: true,
    description:
      'The signing secret: shown here once and never again. Verify `Countersign-Signature` with it.',
  })
  secret!: string | null;
  @Field(() => [UserErrorInterface], { description: 'Why nothing was registered.' })
  userErrors!: UserErrorInterface[];
}

@InputType('DeleteWebhookEndpointInput', { description: 'The endpoint to delete.' })
export class DeleteWebhookEndpointInput {
  @Field(() => ID, { description: 'Global id of the endpoint.' })
  endpointId!: string;
}

@ObjectType('DeleteWebhookEndpointPayload', { description: 'Result of deleteWebhookEndpoint.' })
export class DeleteWebhookEndpointPayload {
  @Field(() => ID, { nullable: true, description: 'The id of the endpoint deleted.' })
  deletedId!: string | null;
  @Field(() => [UserErrorInterface], { description: 'Why nothing was deleted.' })
  userErrors!: UserErrorInterface[];
}

@InputType('RedeliverWebhookInput', { description: 'The delivery to send again.' })
export class RedeliverWebhookInput {
  @Field(() => ID, { description: 'Global id of a delivery.' })
  deliveryId!: string;
}

@ObjectType('RedeliverWebhookPayload', { description: 'Result of redeliverWebhook.' })
export class RedeliverWebhookPayload {
  @Field(() => WebhookDeliveryType, {
    nullable: true,
    description: 'The new delivery: same event id and body, sent again by the worker.',
  })
  delivery!: WebhookDeliveryEntity | null;
  @Field(() => [UserErrorInterface], { description: 'Why nothing was queued.' })
  userErrors!: UserErrorInterface[];
}
