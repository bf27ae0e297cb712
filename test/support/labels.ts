import { randomUUID } from 'node:crypto';
import {
  CreateLabelQuoteDocument,
  PurchaseLabelFullDocument,
  RiskOrdersDocument,
} from '../generated/operations';
import type {
  CreateLabelQuoteMutation,
  OrderFilter,
  ParcelInput,
  PurchaseLabelInput,
  PurchaseLabelFullMutation,
  RiskOrdersQuery,
  SignatureOption,
} from '../generated/operations';
import type { TestServer } from './test-server';

/**
 * Buying a label the way a seller does, over GraphQL: pick an order, quote it, pick a rate, buy.
 * Each step is its own function so a test can stop at any of them (or break in between); buyLabel
 * runs quote, rate and purchase in one go. Pass the instance to talk to: in scale-out tests a
 * quote made on one server can be bought on another.
 */

/** Anything that sends GraphQL like a test server does. */
export type GraphQLClient = Pick<TestServer, 'gql'>;

export type OrderNode = RiskOrdersQuery['orders']['edges'][number]['node'];
export type Quote = NonNullable<CreateLabelQuoteMutation['createLabelQuote']['quote']>;
export type Rate = Quote['rates'][number];
export type Purchase = PurchaseLabelFullMutation['purchaseLabel'];

export interface OrderChoice {
  /** Default: the seller's orders awaiting shipment. */
  filter?: OrderFilter;
  /** Orders other tests took: skipped, and the pick is added, so no two tests share an order. */
  taken?: Set<string>;
  /** Which of the matching (untaken) orders, in the listing's order; default the first. */
  index?: number;
}

/** One of the seller's orders (the first 100 matching), as the RiskOrders listing shows it. */
export async function pickOrder(
  server: GraphQLClient,
  token: string,
  choice: OrderChoice = {},
): Promise<OrderNode> {
  const filter = choice.filter ?? { status: 'AWAITING_SHIPMENT' };
  const res = await server.gql(RiskOrdersDocument, { first: 100, filter }, token);
  if (!res.data) throw new Error(`listing orders failed: ${JSON.stringify(res.errors)}`);
  const orders = res.data.orders.edges.map((e) => e.node);
  const free = choice.taken ? orders.filter((o) => !choice.taken!.has(o.id)) : orders;
  const order = free[choice.index ?? 0];
  if (!order) throw new Error('no unused order left');
  choice.taken?.add(order.id);
  return order;
}

/** Sends createLabelQuote and returns the response as is (for tests of its errors). */
export function requestQuote(
  server: GraphQLClient,
  token: string,
  orderId: string,
  parcel?: ParcelInput,
) {
  return server.gql(CreateLabelQuoteDocument, { input: { orderId, parcel } }, token);
}

/** A quote for the order; expects no user errors. */
export async function quoteOrder(
  server: GraphQLClient,
  token: string,
  orderId: string,
  parcel?: ParcelInput,
): Promise<Quote> {
  const res = await requestQuote(server, token, orderId, parcel);
  expect(res.data?.createLabelQuote.userErrors).toEqual([]);
  return res.data!.createLabelQuote.quote!;
}

export interface RateChoice {
  /** The service code, e.g. USPS_GROUND_ADVANTAGE; default any. */
  service?: string;
  /** The carrier; default any. */
  carrier?: string;
  /** A signature option the rate must support; default any. */
  option?: SignatureOption;
}

/**
 * The quote's first rate that fits the choice (its first eligible rate when the choice is empty).
 * A rate named by service is returned even when its service may not carry the goods.
 */
export function pickRate(quote: Quote, choice: RateChoice = {}): Rate {
  const rate = quote.rates.find(
    (r) =>
      (choice.service ? r.service.code === choice.service : r.eligible) &&
      (!choice.carrier || r.carrier === choice.carrier) &&
      (!choice.option || r.options.some((o) => o.option === choice.option && o.supported)),
  );
  if (!rate) throw new Error(`no rate of quote ${quote.id} fits ${JSON.stringify(choice)}`);
  return rate;
}

/** Sends purchaseLabel and returns the response as is (for tests of its errors and retries). */
export function purchase(server: GraphQLClient, token: string, input: PurchaseLabelInput) {
  return server.gql(PurchaseLabelFullDocument, { input }, token);
}

export interface BuyOptions extends RateChoice {
  orderId: string;
  /** Default NONE. */
  signatureOption?: SignatureOption;
  /** Default a fresh one. */
  idempotencyKey?: string;
}

export interface BoughtLabel {
  quote: Quote;
  rate: Rate;
  label: NonNullable<Purchase['label']>;
  shipment: NonNullable<Purchase['shipment']>;
  order: NonNullable<Purchase['order']>;
}

/**
 * Quotes the order, picks the first rate that fits (and supports the signature option), buys it,
 * and expects no user errors. The seller must have accepted the terms for a signature option.
 */
export async function buyLabel(
  server: GraphQLClient,
  token: string,
  options: BuyOptions,
): Promise<BoughtLabel> {
  const signatureOption = options.signatureOption ?? 'NONE';
  const quote = await quoteOrder(server, token, options.orderId);
  const rate = pickRate(quote, { ...options, option: signatureOption });
  const res = await purchase(server, token, {
    quoteId: quote.id,
    rateId: rate.id,
    signatureOption,
    idempotencyKey: options.idempotencyKey ?? `label-${randomUUID()}`,
  });
  expect(res.data?.purchaseLabel.userErrors).toEqual([]);
  const { label, shipment, order } = res.data!.purchaseLabel;
  return { quote, rate, label: label!, shipment: shipment!, order: order! };
}
