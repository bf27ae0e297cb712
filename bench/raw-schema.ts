import { buildSchema, GraphQLObjectType, GraphQLScalarType } from 'graphql';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { GraphQLContext } from '../src/graphql/context';
import type { Label, LineItem, Order, Shipment } from '../src/entities';
import { toGlobalId } from '../src/core/global-id';
import { formatMinor } from '../src/core/money';
import { signatureRequirementText } from '../src/core/signature-text';

/**
 * The W1 baseline: a minimal SDL schema for the dashboard query, with plain graphql-js resolvers
 * over the SAME data layer as the product (the same services — OrderService.list, risk and label
 * `currentFor` — and the same request-scoped DataLoaders),
 * but without type-graphql, Apollo or express. Field names and values mirror the product's, so
 * both return byte-identical JSON (the harness checks).
 */
const SDL = /* GraphQL */ `
  scalar DateTime

  enum OrderStatus {
    AWAITING_SHIPMENT
    LABEL_PURCHASED
    IN_TRANSIT
    DELIVERED
    CANCELLED
  }
  enum Carrier {
    UPS
    USPS
  }
  enum SignatureOption {
    NONE
    SIGNATURE_REQUIRED
    ADULT_SIGNATURE_REQUIRED
  }
  enum RiskLevel {
    LOW
    ELEVATED
    HIGH
  }
  enum LabelStatus {
    PURCHASED
    VOIDED
  }
  enum RiskReasonCode {
    AGE_RESTRICTED_ITEM
    ORDER_VALUE_HIGH
    PRIOR_NOT_RECEIVED_CLAIMS
    ORDER_VALUE_ELEVATED
    ADDRESS_CHANGED_AFTER_CHECKOUT
    PLATFORM_HOLD
    NEW_BUYER_LARGE_ORDER
    SHARED_SHIP_TO
    RESHIPPER_ADDRESS
    RUSH_SHIPPING_NEW_ACCOUNT
    BILLING_SHIPPING_MISMATCH
  }
  enum ShipmentStatus {
    LABEL_CREATED
    IN_TRANSIT
    OUT_FOR_DELIVERY
    DELIVERY_ATTEMPTED
    AVAILABLE_FOR_PICKUP
    DELIVERED
    RETURN_TO_SENDER
    EXCEPTION
    CANCELLED
  }

  type Query {
    orders(first: Int, after: String): OrderConnection!
  }
  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }
  type OrderConnection {
    edges: [OrderEdge!]!
    pageInfo: PageInfo!
  }
  type OrderEdge {
    cursor: String!
    node: Order!
  }
  type Money {
    amount: String!
    currencyCode: String!
  }
  type OrderTotals {
    subtotal: Money!
    shipping: Money!
    tax: Money!
    total: Money!
  }
  type Buyer {
    id: ID!
    name: String!
  }
  type PostalAddress {
    name: String!
    line1: String!
    line2: String
    city: String!
    region: String!
    postalCode: String!
    country: String!
  }
  type LineItem {
    id: ID!
    sku: String!
    title: String!
    quantity: Int!
    unitPrice: Money!
    category: String!
    ageRestricted: Boolean!
  }
  type Shipment {
    id: ID!
    trackingNumber: String!
    carrier: Carrier!
    status: ShipmentStatus!
    statusReason: String
    signatureRequirement: SignatureOption!
    signatureRequirementText: String
    estimatedDeliveryAt: DateTime
    updatedAt: DateTime!
  }
  type RiskReason {
    code: RiskReasonCode!
    message: String!
    weight: Int!
  }
  type RiskAssessment {
    score: Int!
    level: RiskLevel!
    reasons: [RiskReason!]!
    recommendedSignature: SignatureOption!
    rulesetVersion: String!
  }
  type Label {
    id: ID!
    trackingNumber: String!
    carrier: Carrier!
    signatureOption: SignatureOption!
    signatureCarrierCode: String
    status: LabelStatus!
    total: Money!
    createdAt: DateTime!
  }
  type Order {
    id: ID!
    number: String!
    status: OrderStatus!
    placedAt: DateTime!
    updatedAt: DateTime!
    totals: OrderTotals!
    buyer: Buyer!
    shipTo: PostalAddress!
    items: [LineItem!]!
    riskAssessment: RiskAssessment
    label: Label
    shipment: Shipment
  }
`;

type Resolver<TSource> = GraphQLFieldResolver<TSource, GraphQLContext, Record<string, never>>;
type ResolverMap = Record<string, Record<string, Resolver<never>>>;

const money = (minor: number, currencyCode: string) => ({
  amount: formatMinor(minor),
  currencyCode,
});

const RESOLVERS: ResolverMap = {
  Query: {
    orders: ((_root: unknown, args: { first?: number; after?: string }, ctx: GraphQLContext) =>
      ctx.services.orders.list(ctx, args)) as Resolver<never>,
  },
  Order: {
    id: (o: Order) => toGlobalId('Order', o.id),
    totals: (o: Order) => ({
      subtotal: money(o.subtotalMinor, o.currency),
      shipping: money(o.shippingMinor, o.currency),
      tax: money(o.taxMinor, o.currency),
      total: money(o.totalMinor, o.currency),
    }),
    buyer: ((o: Order, _a: unknown, ctx: GraphQLContext) =>
      ctx.loaders.buyerById.load(o.buyerId)) as Resolver<never>,
    shipTo: ((o: Order, _a: unknown, ctx: GraphQLContext) =>
      ctx.loaders.addressById.load(o.shipToAddressId)) as Resolver<never>,
    items: ((o: Order, _a: unknown, ctx: GraphQLContext) =>
      ctx.loaders.lineItemsByOrderId.load(o.id)) as Resolver<never>,
    riskAssessment: ((o: Order, _a: unknown, ctx: GraphQLContext) =>
      ctx.services.risk.currentFor(ctx, o)) as Resolver<never>,
    label: ((o: Order, _a: unknown, ctx: GraphQLContext) =>
      ctx.services.labels.currentFor(ctx, o)) as Resolver<never>,
    shipment: (async (o: Order, _a: unknown, ctx: GraphQLContext) => {
      const shipments = await ctx.loaders.shipmentsByOrderId.load(o.id);
      return shipments[shipments.length - 1] ?? null;
    }) as Resolver<never>,
  },
  Buyer: { id: (b: { id: number }) => toGlobalId('Buyer', b.id) },
  Label: {
    id: (l: Label) => toGlobalId('Label', l.id),
    total: (l: Label) => money(l.totalMinor, l.currency),
  },
  LineItem: {
    id: (i: LineItem) => toGlobalId('LineItem', i.id),
    unitPrice: (i: LineItem) => money(i.unitPriceMinor, i.currency),
  },
  Shipment: {
    id: (s: Shipment) => toGlobalId('Shipment', s.id),
    signatureRequirementText: (s: Shipment) => signatureRequirementText(s.signatureRequirement),
  },
};

/** Builds the SDL schema and attaches the resolvers (plain graphql-js, no schema tooling). */
export function createRawSchema(): GraphQLSchema {
  const schema = buildSchema(SDL);
  const dateTime = schema.getType('DateTime') as GraphQLScalarType;
  // Same serialization as the product's DateTime scalar.
  Object.assign(dateTime, {
    serialize: GraphQLDateTime.serialize,
    parseValue: GraphQLDateTime.parseValue,
    parseLiteral: GraphQLDateTime.parseLiteral,
  });
  for (const [typeName, fields] of Object.entries(RESOLVERS)) {
    const type = schema.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`raw schema lacks type ${typeName}`);
    const defs = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      if (!defs[fieldName]) throw new Error(`raw schema lacks ${typeName}.${fieldName}`);
      defs[fieldName].resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  return schema;
}
