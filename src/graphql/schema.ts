import type { GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import type { NonEmptyArray } from 'type-graphql';
import type { EventBus } from '../pubsub/event-bus';
import { CatalogResolver } from './resolvers/catalog.resolver';
import { ClaimResolver, OrderClaimResolver } from './resolvers/claim.resolver';
import { BuyerResolver, LineItemResolver, SellerResolver } from './resolvers/entity-id.resolvers';
import { NodeResolver } from './resolvers/node.resolver';
import { OrderResolver } from './resolvers/order.resolver';
import { NotificationResolver } from './resolvers/notification.resolver';
import { ProofResolver, ShipmentInquiryResolver } from './resolvers/proof.resolver';
import { ShipmentResolver, TrackingEventResolver } from './resolvers/shipment.resolver';
import { SubscriptionResolver } from './resolvers/subscription.resolver';
import { TrackingResolver } from './resolvers/tracking.resolver';
import { ViewerResolver } from './resolvers/viewer.resolver';
import { ChargeResolver, LabelResolver, OrderLabelResolver } from './resolvers/label.resolver';
import { LabelQuoteResolver, LabelRateResolver } from './resolvers/quote.resolver';
import { OrderRiskResolver, RiskResolver } from './resolvers/risk.resolver';
import { SellerSummaryResolver } from './resolvers/summary.resolver';
import { SignatureTermsResolver } from './resolvers/terms.resolver';
import { LabelBatchItemResolver, LabelBatchResolver } from './resolvers/label-batch.resolver';
import { WebhookDeliveryResolver, WebhookEndpointResolver } from './resolvers/webhook.resolver';
import { IntakeResolver } from './resolvers/intake.resolver';
import { ApiTokenResolver } from './resolvers/api-token.resolver';
import { PartyIntakeResolver, ShipFromLocationResolver } from './resolvers/party.resolver';
import { callFieldResolversDirectly, resolverContainer } from './direct-resolvers';
import './enums';
import './user-error-code';

export const RESOLVERS: NonEmptyArray<new (...args: never[]) => object> = [
  NodeResolver,
  ViewerResolver,
  OrderResolver,
  LineItemResolver,
  SellerResolver,
  BuyerResolver,
  CatalogResolver,
  ShipmentResolver,
  TrackingEventResolver,
  TrackingResolver,
  SubscriptionResolver,
  ProofResolver,
  NotificationResolver,
  RiskResolver,
  OrderRiskResolver,
  LabelQuoteResolver,
  LabelRateResolver,
  SignatureTermsResolver,
  LabelResolver,
  ChargeResolver,
  OrderLabelResolver,
  SellerSummaryResolver,
  LabelBatchResolver,
  LabelBatchItemResolver,
  WebhookEndpointResolver,
  WebhookDeliveryResolver,
  ClaimResolver,
  OrderClaimResolver,
  ShipmentInquiryResolver,
  IntakeResolver,
  ApiTokenResolver,
  PartyIntakeResolver,
  ShipFromLocationResolver,
];

/** Builds the executable schema. The event bus backs `@Subscription` resolvers. */
export async function createSchema(events: EventBus): Promise<GraphQLSchema> {
  const container = resolverContainer();
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    container,
    pubSub: events,
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    // Inputs are checked in services, where the rules live; class-validator is not used.
    // There are no global middlewares or authChecker: object types of plain data set
    // `simpleResolvers`, so their property fields skip type-graphql's per-field wrapper (adding
    // either here would not run on those fields).
    validate: false,
  });
  callFieldResolversDirectly(schema, RESOLVERS, container);
  return schema;
}
