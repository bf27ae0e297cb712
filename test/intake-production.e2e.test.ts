import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compile, startChild } from './fault/child-server';
import type { ChildServer } from './fault/child-server';
import {
  CreateApiTokenDocument,
  FindOrdersDocument,
  ImportOrdersDocument,
  IntakeUpsertBuyerDocument,
  IntakeUpsertSellerDocument,
  SellerShipmentFeedFullDocument,
} from './generated/operations';
import type { ImportOrderInput } from './generated/operations';
import { orderInput, httpClient, postMarketplaceOrders } from './support/intake';
import type { ImportResult } from './support/intake';
import { buyLabel, pickRate, purchase, quoteOrder } from './support/labels';
import type { GraphQLClient } from './support/labels';
import { acceptCurrentTerms } from './support/seller-flow';
import { subscribe, wsClient } from './support/ws-client';

/**
 * Issue 11's "done when": the compiled server with NODE_ENV=production on an empty SQLite
 * database, driven only through the token command and the API, from the first credential to a
 * signature label for a HIGH order with its push to the seller.
 */

const SECRETS = {
  CARRIER_SECRET_UPS: 'e2e-ups-secret',
  CARRIER_SECRET_USPS: 'e2e-usps-secret',
  LABEL_DOCUMENT_SECRET: 'e2e-label-document-secret',
  MARKETPLACE_WEBHOOK_SECRET: 'e2e-marketplace-secret',
};

let build: ReturnType<typeof compile>;
let dir: string;
let env: Record<string, string>;
let child: ChildServer;
let api: GraphQLClient;

/** `npm run token -- …` against the compiled command, on the server's database. */
function tokenCommand(...args: string[]): string {
  const script = path.join(path.dirname(build.mainJs), 'cli', 'token.js');
  return execFileSync(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
}

beforeAll(async () => {
  build = compile();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-intake-e2e-'));
  env = {
    NODE_ENV: 'production',
    COUNTERSIGN_DEV: 'off',
    // Production prints no banner: startChild finds the URL in the "server listening" log line.
    LOG_LEVEL: 'info',
    DATABASE_URL: `sqlite:${path.join(dir, 'countersign.sqlite')}`,
    ...SECRETS,
  };
  child = await startChild(build.mainJs, env);
  api = httpClient(child.url);
}, 180_000);

afterAll(async () => {
  if (child && child.process.exitCode === null) {
    child.process.kill('SIGTERM');
    await child.exited;
  }
  build?.remove();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function createToken(token: string, input: Record<string, unknown>): Promise<string> {
  const res = await api.gql(CreateApiTokenDocument, { input: input as never }, token);
  expect(res.data?.createApiToken.userErrors).toEqual([]);
  return res.data!.createApiToken.secret!;
}

async function upsertSeller(token: string, externalId: string, name: string): Promise<string> {
  const res = await api.gql(
    IntakeUpsertSellerDocument,
    {
      input: {
        externalId,
        name,
        shipFromLocations: [
          {
            key: 'pdx',
            name: 'Portland warehouse',
            address: {
              name,
              line1: '1120 NW Couch St',
              city: 'Portland',
              region: 'OR',
              postalCode: '97209',
              country: 'US',
            },
            phone: '+1 503 555 0100',
            isDefault: true,
          },
        ],
      },
    },
    token,
  );
  expect(res.data?.upsertSeller.userErrors).toEqual([]);
  return res.data!.upsertSeller.seller!.id;
}

async function upsertBuyer(token: string, externalId: string): Promise<string> {
  const res = await api.gql(
    IntakeUpsertBuyerDocument,
    {
      input: {
        externalId,
        name: 'Maya Okafor',
        email: 'maya@example.com',
        phone: '+1 206 555 0134',
        accountCreatedAt: '2023-01-15T00:00:00.000Z',
      },
    },
    token,
  );
  expect(res.data?.upsertBuyer.userErrors).toEqual([]);
  return res.data!.upsertBuyer.buyer!.id;
}

/** What each order of the batch is, and the reasons its assessment must give. */
function batch(sellerId: string, buyerId: string) {
  const expected = new Map<number, string[]>();
  const orders: ImportOrderInput[] = [];
  for (let i = 0; i < 100; i++) {
    const base = orderInput({ externalId: `mkt-${i}`, number: `#${5000 + i}` });
    let order: ImportOrderInput = { ...base, sellerId, buyerId };
    let reasons: string[] = [];
    if (i === 50) {
      order = {
        ...orderInput({ externalId: `mkt-${i}`, number: `#${5000 + i}`, unitPriceMinor: 90_000 }),
        sellerId,
        buyerId,
      };
      reasons = ['ORDER_VALUE_HIGH'];
    } else if (i === 30) {
      order = {
        ...orderInput({ externalId: `mkt-${i}`, number: `#${5000 + i}`, ageRestricted: true }),
        sellerId,
        buyerId,
      };
      reasons = ['AGE_RESTRICTED_ITEM'];
    } else if (i % 25 === 7) {
      order.onHold = true;
      reasons = ['PLATFORM_HOLD'];
    } else if (i === 60) {
      order.addressChangedAfterCheckout = true;
      reasons = ['ADDRESS_CHANGED_AFTER_CHECKOUT'];
    }
    orders.push(order);
    expected.set(i, reasons);
  }
  // One malformed (no line items) and one repeat of an earlier order in the same batch.
  orders[10] = { ...orders[10], lineItems: [] };
  orders[20] = orders[5];
  expected.delete(10);
  expected.set(20, expected.get(5)!);
  return { orders, expected };
}

async function ordersOf(token: string, filter: Record<string, unknown>) {
  const res = await api.gql(FindOrdersDocument, { filter, first: 100 }, token);
  expect(res.errors).toBeUndefined();
  return res.data!.orders.edges.map((e) => e.node);
}

it('runs a marketplace from an empty production database to a signature label', async () => {
  // The first credential comes from the token command; the rest through the API.
  const created = tokenCommand('create', '--role', 'ADMIN', '--name', 'Ops on call');
  const admin = created.trim().split('\n').pop()!;
  const platform = await createToken(admin, { role: 'PLATFORM', name: 'Acme Market' });
  const sellerId = await upsertSeller(platform, 'shop-1', 'Harbor & Pine Electronics');
  const otherSellerId = await upsertSeller(platform, 'shop-2', 'Corner Curio Supply');
  const buyerId = await upsertBuyer(platform, 'buyer-1');
  const seller = await createToken(platform, { role: 'SELLER', name: 'Harbor & Pine', sellerId });

  const { orders, expected } = batch(sellerId, buyerId);
  const imported = await api.gql(
    ImportOrdersDocument,
    { input: { source: 'acme', orders } },
    platform,
  );
  expect(imported.errors).toBeUndefined();
  const results = imported.data!.importOrders.results;
  expect(results).toHaveLength(100);
  expect(results[10]).toMatchObject({
    outcome: 'REJECTED',
    order: null,
    userErrors: [expect.objectContaining({ field: ['orders', '10', 'lineItems'] })],
  });
  expect(results[20].outcome).toBe('UNCHANGED');
  expect(results[20].order!.id).toBe(results[5].order!.id);
  expect(results.filter((r) => r.outcome === 'CREATED')).toHaveLength(98);
  for (const [index, reasons] of expected) {
    const codes = results[index].order!.riskAssessment!.reasons.map((r) => r.code);
    expect({ index, codes: [...codes].sort() }).toEqual({ index, codes: [...reasons].sort() });
  }
  const high = results[50].order!;
  expect(high.riskAssessment).toMatchObject({
    level: 'HIGH',
    recommendedSignature: 'SIGNATURE_REQUIRED',
  });
  expect(await ordersOf(platform, { source: 'acme' })).toHaveLength(98);

  // Re-sending the import changes nothing.
  const again = await api.gql(
    ImportOrdersDocument,
    { input: { source: 'acme', orders } },
    platform,
  );
  const outcomes = again.data!.importOrders.results.map((r: ImportResult) => r.outcome);
  expect(outcomes.filter((o) => o === 'UNCHANGED')).toHaveLength(99);
  expect(outcomes[10]).toBe('REJECTED');
  expect(await ordersOf(platform, { source: 'acme' })).toHaveLength(98);

  // The seller buys a signature label for the HIGH order and its dashboard feed is told.
  await acceptCurrentTerms(api, seller);
  const client = wsClient(child, seller);
  const feed = subscribe(client, SellerShipmentFeedFullDocument, {});
  // A platform token may not buy labels: refused, nothing bought.
  const quote = await quoteOrder(api, seller, high.id);
  const refused = await purchase(api, platform, {
    quoteId: quote.id,
    rateId: pickRate(quote, { option: 'SIGNATURE_REQUIRED' }).id,
    signatureOption: 'SIGNATURE_REQUIRED',
    idempotencyKey: 'platform-try',
  });
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  // graphql-ws has no "subscribed" acknowledgement: give the subscription a moment to register.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const bought = await buyLabel(api, seller, {
    orderId: high.id,
    signatureOption: 'SIGNATURE_REQUIRED',
  });
  expect(bought.label.signatureOption).toBe('SIGNATURE_REQUIRED');
  const pushed = await feed.next(10_000);
  expect(pushed.data!.sellerShipmentFeed).toMatchObject({
    shipment: { trackingNumber: bought.label.trackingNumber },
  });
  await feed.close();
  await client.dispose();

  // Refusals, each with a code and nothing left behind.
  const noOrder = async (externalId: string) =>
    expect(await ordersOf(platform, { source: 'acme', externalId })).toEqual([]);

  const badRow = { ...orderInput({ externalId: 'bad-row' }), sellerId, buyerId, totalMinor: 1 };
  const bad = await api.gql(
    ImportOrdersDocument,
    { input: { source: 'acme', orders: [badRow] } },
    platform,
  );
  expect(bad.data!.importOrders.results[0].userErrors[0]).toMatchObject({
    code: 'INVALID_INPUT',
    field: ['orders', '0', 'totalMinor'],
  });
  await noOrder('bad-row');

  const ghost = { ...orderInput({ externalId: 'ghost', sellerId: 999 }), buyerId };
  const unknown = await api.gql(
    ImportOrdersDocument,
    { input: { source: 'acme', orders: [ghost] } },
    platform,
  );
  expect(unknown.data!.importOrders.results[0].userErrors[0].code).toBe('SELLER_NOT_FOUND');
  await noOrder('ghost');

  const theirs = { ...orderInput({ externalId: 'theirs' }), sellerId: otherSellerId, buyerId };
  const cross = await api.gql(
    ImportOrdersDocument,
    { input: { source: 'acme', orders: [theirs] } },
    seller,
  );
  expect(cross.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  await noOrder('theirs');

  const many = Array.from({ length: 101 }, (_, i) => ({
    ...orderInput({ externalId: `many-${i}` }),
    sellerId,
    buyerId,
  }));
  const tooMany = await api.gql(
    ImportOrdersDocument,
    { input: { source: 'acme', orders: many } },
    platform,
  );
  expect(tooMany.data!.importOrders.userErrors[0].code).toBe('TOO_MANY_ORDERS');
  await noOrder('many-0');

  const pushBody = {
    source: 'acme',
    orders: [{ ...orderInput({ externalId: 'forged' }), sellerId, buyerId }],
  };
  const forged = await postMarketplaceOrders(child.url, pushBody, { secret: 'not-the-secret' });
  expect(forged).toEqual({ status: 401, body: { error: 'INVALID_SIGNATURE' } });
  await noOrder('forged');
  // Signed with the real secret, the same push goes in.
  const signed = await postMarketplaceOrders(child.url, pushBody, {
    secret: SECRETS.MARKETPLACE_WEBHOOK_SECRET,
  });
  expect(signed.status).toBe(200);
  expect(await ordersOf(platform, { source: 'acme', externalId: 'forged' })).toHaveLength(1);
}, 180_000);
