import { DEV_MARKETPLACE_SECRET } from '../../src/config/config';
import { toGlobalId } from '../../src/core/global-id';
import { signatureHeader } from '../../src/webhooks/signature';
import type { ImportOrderInput, ImportOrdersMutation } from '../generated/operations';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { WebhookResponse } from './carrier';
import type { GraphQLClient } from './labels';
import type { GraphQLResponse } from './test-server';

export type ImportResult = ImportOrdersMutation['importOrders']['results'][number];

export interface OrderSpec {
  externalId: string;
  sellerId?: number;
  buyerId?: number;
  number?: string;
  /** Unit price in cents of the one line (default 2500: a low-risk basket). */
  unitPriceMinor?: number;
  ageRestricted?: boolean;
}

export const HOME = {
  name: 'Maya Okafor',
  line1: '2210 N 45th St',
  line2: 'Apt 3',
  city: 'Seattle',
  region: 'WA',
  postalCode: '98103',
  country: 'US',
};

/** A valid order whose money adds up; override any field afterwards. */
export function orderInput(spec: OrderSpec): ImportOrderInput {
  const unit = spec.unitPriceMinor ?? 2500;
  const shipping = 599;
  const tax = Math.round(unit * 0.065);
  return {
    externalId: spec.externalId,
    number: spec.number ?? `M-${spec.externalId}`,
    sellerId: toGlobalId('Seller', spec.sellerId ?? 1),
    buyerId: toGlobalId('Buyer', spec.buyerId ?? 1),
    currency: 'USD',
    lineItems: [
      {
        sku: spec.ageRestricted ? 'WINE-1' : 'CABLE-1',
        title: spec.ageRestricted ? 'Reserve Cabernet' : 'USB-C cable',
        quantity: 1,
        unitPriceMinor: unit,
        category: spec.ageRestricted ? 'wine' : 'electronics',
        ageRestricted: spec.ageRestricted ?? false,
      },
    ],
    subtotalMinor: unit,
    shippingMinor: shipping,
    taxMinor: tax,
    totalMinor: unit + shipping + tax,
    shippingSpeed: 'STANDARD',
    shipTo: HOME,
    billingAddress: HOME,
    placedAt: '2026-11-30T10:00:00.000Z',
    parcel: { weightOz: 12, lengthIn: 10, widthIn: 8, heightIn: 4 },
  };
}

/** POSTs a marketplace order push signed with `secret` (default the dev secret). */
export async function postMarketplaceOrders(
  baseUrl: string,
  body: unknown,
  options: { secret?: string; header?: string | null; raw?: string } = {},
): Promise<WebhookResponse> {
  const raw = options.raw ?? JSON.stringify(body);
  const header =
    options.header === undefined
      ? signatureHeader(options.secret ?? DEV_MARKETPLACE_SECRET, raw)
      : options.header;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (header !== null) headers['countersign-signature'] = header;
  const res = await fetch(baseUrl.replace(/\/graphql$/, '') + '/webhooks/marketplace/orders', {
    method: 'POST',
    headers,
    body: raw,
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { unparsable: text };
  }
  return { status: res.status, body: parsed };
}

/** A GraphQL client for a server at `url` (a compiled child process), as TestServer.gql is. */
export function httpClient(url: string): GraphQLClient {
  return {
    gql: async <TResult, TVars>(
      document: TypedDocumentNode<TResult, TVars> | string,
      variables?: TVars,
      token?: string | null,
    ): Promise<GraphQLResponse<TResult>> => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const query = typeof document === 'string' ? document : print(document);
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GraphQLResponse<TResult>;
    },
  } as GraphQLClient;
}
