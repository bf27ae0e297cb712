import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { payload } from '../payload';
import { toGlobalId } from '../../core/global-id';
import type { Page } from '../../core/page';
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../../entities';
import { CreatedAtConnectionArgs, pageArgs } from '../types/connection.type';
import {
  CreateWebhookEndpointInput,
  CreateWebhookEndpointPayload,
  DeleteWebhookEndpointInput,
  DeleteWebhookEndpointPayload,
  RedeliverWebhookInput,
  RedeliverWebhookPayload,
  WebhookAttemptType,
  WebhookDeliveryConnection,
  WebhookDeliveryType,
  WebhookEndpointType,
} from '../types/webhook.type';

@Resolver(() => WebhookEndpointType)
export class WebhookEndpointResolver {
  @Query(() => [WebhookEndpointType], {
    description: "Your webhook endpoints (a seller's own; platform staff: the platform's).",
  })
  webhookEndpoints(@Ctx() ctx: GraphQLContext): Promise<WebhookEndpoint[]> {
    return ctx.services.webhooks.list(ctx);
  }

  @Query(() => WebhookDeliveryConnection, {
    description:
      "An endpoint's deliveries, newest first, with their attempts (empty if not yours).",
  })
  webhookDeliveries(
    @Arg('endpointId', () => ID, { description: 'Global id of your endpoint.' }) endpointId: string,
    @Args() args: CreatedAtConnectionArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Page<WebhookDelivery>> {
    return ctx.services.webhooks.deliveries(ctx, endpointId, pageArgs(args));
  }

  @Mutation(() => CreateWebhookEndpointPayload, {
    description:
      'Registers an endpoint for the events given; the payload shows its signing secret, once.',
  })
  createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput, { description: 'URL and events.' })
    input: CreateWebhookEndpointInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.webhooks.create(ctx, input));
  }

  @Mutation(() => DeleteWebhookEndpointPayload, {
    description: 'Deletes an endpoint; its undelivered events are not sent.',
  })
  deleteWebhookEndpoint(
    @Arg('input', () => DeleteWebhookEndpointInput, { description: 'The endpoint.' })
    input: DeleteWebhookEndpointInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.webhooks.delete(ctx, input));
  }

  @Mutation(() => RedeliverWebhookPayload, {
    description: 'Sends a delivered or failed event again, with the same event id.',
  })
  redeliverWebhook(
    @Arg('input', () => RedeliverWebhookInput, { description: 'The delivery.' })
    input: RedeliverWebhookInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.webhooks.redeliver(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() endpoint: WebhookEndpoint): string {
    return toGlobalId('WebhookEndpoint', endpoint.id);
  }
}

@Resolver(() => WebhookDeliveryType)
export class WebhookDeliveryResolver {
  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() delivery: WebhookDelivery): string {
    return toGlobalId('WebhookDelivery', delivery.id);
  }

  @FieldResolver(() => [WebhookAttemptType], { description: 'Every attempt, oldest first.' })
  async attempts(
    @Root() delivery: WebhookDelivery,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookAttempt[]> {
    return (await ctx.services.webhooks.attempts([delivery.id])).get(delivery.id) ?? [];
  }
}
