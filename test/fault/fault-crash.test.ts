import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { HISTORY_SOURCE } from '../../seeds/claims';
import { devToken } from '../../seeds/dev-tokens';
import { createDataSource } from '../../src/db/data-source';
import { Role, SignatureOption } from '../../src/entities/enums';
import { signatureHeader } from '../../src/webhooks/signature';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { DocumentNode } from 'graphql';
import { pickRate, purchase as buy, quoteOrder } from '../support/labels';
import type { GraphQLClient } from '../support/labels';
import { acceptCurrentTerms } from '../support/seller-flow';
import { fromGlobalId } from '../../src/core/global-id';
import { compile, readLedger, startChild, writeLedgerMain } from './child-server';
import type { ChildServer } from './child-server';

/** The labels this test bought: the seed's claim history has labels of its own. */
const BOUGHT_HERE = `SELECT l."trackingNumber" FROM labels l JOIN orders o ON o.id = l."orderId"
  WHERE o.source <> '${HISTORY_SOURCE}'`;

/**
 * Crash safety: the compiled server runs as a child process and is SIGKILLed again and again in
 * the middle of a label purchase load and a carrier webhook load, then restarted on the same
 * SQLite file. The client behaves like a real one (retries a lost purchase with its idempotency
 * key, a carrier redelivers an unanswered event). Afterwards the database holds no label without
 * its charges, shipment and (signature labels) buyer notification, no charge without its label,
 * and every event a carrier got a 2xx for exactly once. And SIGTERM drains instead of dropping.
 */

const KILLS = 10;
const SECRETS = { UPS: 'dev-ups-webhook-secret', USPS: 'dev-usps-webhook-secret' } as const;
const SELLERS = [1, 2, 3].map((n) => devToken(Role.SELLER, n));

let build: ReturnType<typeof compile>;
let dir: string;

beforeAll(() => {
  build = compile();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-fault-'));
}, 120_000);
afterAll(() => {
  build?.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A GraphQL POST; throws when the connection dies (the server was killed under it). */
async function gql(url: string, query: string, variables: Json, token: string): Promise<Json> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await res.json()) as Json;
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as Json;
}

/** The helpers' view of the child server: each request through gql() above. */
function childClient(url: string): GraphQLClient {
  return {
    gql: async <TResult, TVars>(
      document: TypedDocumentNode<TResult, TVars> | DocumentNode | string,
      variables?: TVars,
      token?: string | null,
    ) => {
      const query = typeof document === 'string' ? document : print(document);
      return { data: (await gql(url, query, variables ?? {}, token ?? '')) as TResult };
    },
  };
}

/**
 * The seller accepts the signature terms; returns the ids of its orders awaiting shipment that
 * some service may carry with a signature (no service carries a vape, for one).
 */
async function readyToBuy(url: string, token: string): Promise<string[]> {
  await acceptCurrentTerms(childClient(url), token);
  const page = await gql(
    url,
    '{ orders(first: 100, filter: { status: AWAITING_SHIPMENT }) { edges { node { id } } } }',
    {},
    token,
  );
  const ids: string[] = page.orders.edges.map((e: Json) => e.node.id as string);
  const buyable: string[] = [];
  for (const id of ids) {
    const quote = await quoteOrder(childClient(url), token, id);
    const signed = quote.rates.some(
      (r) => r.eligible && r.options.some((o) => o.option === 'SIGNATURE_REQUIRED' && o.supported),
    );
    if (signed) buyable.push(id);
  }
  return buyable;
}

/** One order's purchase as a client sees it, kept across restarts so a retry reuses the key. */
interface Purchase {
  orderId: string;
  token: string;
  option: SignatureOption;
  key: string;
  quote?: { id: string; rateId: string };
  done?: { carrier: 'UPS' | 'USPS'; trackingNumber: string };
}

interface CarrierEvent {
  carrier: 'UPS' | 'USPS';
  body: string;
  eventId: string;
  acked: boolean;
}

/** Quotes the order and keeps the first rate that carries its option. */
async function quoteFor(url: string, p: Purchase): Promise<void> {
  const quote = await quoteOrder(childClient(url), p.token, p.orderId);
  const rate = pickRate(quote, { option: p.option as `${SignatureOption}` });
  p.quote = { id: quote.id, rateId: rate.id };
}

/** Runs the purchase to the end, or throws when the server dies under it. */
async function purchase(url: string, p: Purchase): Promise<void> {
  if (!p.quote) await quoteFor(url, p);
  const input = {
    quoteId: p.quote!.id,
    rateId: p.quote!.rateId,
    signatureOption: p.option as `${SignatureOption}`,
    idempotencyKey: p.key,
  };
  const bought = (await buy(childClient(url), p.token, input)).data!.purchaseLabel;
  // A retry after a crash either replays the committed purchase or makes it now.
  expect(bought.userErrors).toEqual([]);
  const label = bought.label!;
  p.done = { carrier: label.carrier as 'UPS' | 'USPS', trackingNumber: label.trackingNumber };
}

function eventsFor(p: Purchase): CarrierEvent[] {
  const { carrier, trackingNumber } = p.done!;
  const steps: Array<[string, Json]> = [
    ['IN_TRANSIT', {}],
    ['OUT_FOR_DELIVERY', {}],
    ['DELIVERED', {}],
  ];
  return steps.map(([status, extra], i) => {
    const eventId = `fault-${trackingNumber}-${i}`;
    const occurredAt = new Date(Date.now() - (10 - i) * 60_000).toISOString();
    const body = JSON.stringify({ eventId, trackingNumber, status, occurredAt, ...extra });
    return { carrier, body, eventId, acked: false };
  });
}

async function deliver(base: string, e: CarrierEvent): Promise<void> {
  const res = await fetch(`${base}/webhooks/carriers/${e.carrier}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'countersign-signature': signatureHeader(SECRETS[e.carrier], e.body),
    },
    body: e.body,
    signal: AbortSignal.timeout(20_000),
  });
  await res.text();
  if (res.status >= 200 && res.status < 300) e.acked = true;
}

/**
 * Works through the pending purchases and events with a few concurrent clients until all are
 * done, or until `killAfter` answers have come back, when the server is SIGKILLed under them.
 */
async function runLoad(
  server: ChildServer,
  purchases: Purchase[],
  events: CarrierEvent[],
  killAfter: number | null,
): Promise<{ answered: number; lost: number }> {
  const base = server.url.replace(/\/graphql$/, '');
  let answered = 0;
  let lost = 0;
  let dead = false;
  let buyersBusy = 3;
  const queue = purchases.filter((p) => !p.done);
  const sending = new Set<CarrierEvent>();
  const answer = () => {
    answered += 1;
    if (killAfter !== null && answered >= killAfter && !dead) {
      dead = true;
      server.process.kill('SIGKILL');
    }
  };
  const attempt = async (work: () => Promise<void>) => {
    try {
      await work();
      answer();
    } catch (error) {
      // Only a connection the kill cut may fail; anything else is a real failure.
      if (!dead) throw error;
      lost += 1;
    }
  };
  const buyer = async () => {
    for (let p = queue.shift(); p && !dead; p = queue.shift()) {
      const next = p;
      await attempt(async () => {
        await purchase(server.url, next);
        events.push(...eventsFor(next));
      });
    }
    buyersBusy -= 1;
  };
  const carrier = async () => {
    while (!dead) {
      const e = events.find((x) => !x.acked && !sending.has(x));
      if (!e) {
        if (buyersBusy === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      sending.add(e);
      await attempt(() => deliver(base, e));
      sending.delete(e);
    }
  };
  await Promise.all([buyer(), buyer(), buyer(), carrier(), carrier()]);
  if (killAfter !== null && !dead) {
    // The work ran out before the kill point; kill anyway so the round still restarts.
    dead = true;
    server.process.kill('SIGKILL');
  }
  return { answered, lost };
}

describe('killed under load and restarted', () => {
  it('loses and duplicates nothing', async () => {
    const dbFile = path.join(dir, 'crash.sqlite');
    const ledger = path.join(dir, 'crash.ledger');
    const env = { DATABASE_URL: `sqlite:${dbFile}`, OUTBOX_POLL_MS: '50', CARRIER_LEDGER: ledger };
    // `npm start`'s server, with a carrier that keeps its books outside the process.
    const main = writeLedgerMain(build.mainJs);
    let server = await startChild(main, env);

    // Every seller accepts the terms; the orders awaiting shipment are the purchase load.
    const purchases: Purchase[] = [];
    for (const token of SELLERS) {
      (await readyToBuy(server.url, token)).forEach((orderId, i) =>
        purchases.push({
          orderId,
          token,
          option: i % 2 === 0 ? SignatureOption.SIGNATURE_REQUIRED : SignatureOption.NONE,
          key: `fault-${orderId}`,
        }),
      );
    }
    expect(purchases.length).toBeGreaterThan(20);

    const events: CarrierEvent[] = [];
    const kills: Array<{ answered: number; lost: number }> = [];
    for (let round = 0; round < KILLS; round += 1) {
      // Early in the round, so the load is in full flow; later rounds are mostly webhooks.
      const outcome = await runLoad(server, purchases, events, 3 + ((round * 7) % 15));
      const { signal } = await server.exited;
      expect(signal).toBe('SIGKILL');
      kills.push(outcome);
      server = await startChild(main, env);
    }
    // A last round without a kill: every retry and redelivery goes through.
    await runLoad(server, purchases, events, null);
    // Purchases a kill cut off are resolved by their key's retry or the start-up reconciliation.
    await settled(dbFile, server);
    server.process.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);

    expect(kills.length).toBe(KILLS);
    expect(kills.reduce((n, k) => n + k.lost, 0)).toBeGreaterThan(0);
    expect(purchases.every((p) => p.done)).toBe(true);
    expect(events.every((e) => e.acked)).toBe(true);
    await checkInvariants(dbFile, purchases, events);
    // Nothing the carrier sold is paid and unaccounted: each number is on a live label or void.
    const db = createDataSource({ url: `sqlite:${dbFile}` });
    await db.initialize();
    const rows = (await db.query(
      `SELECT "trackingNumber" FROM labels WHERE status = 'PURCHASED'`,
    )) as Json[];
    await db.destroy();
    const live = new Set(rows.map((l) => l.trackingNumber as string));
    const { sold, voided } = readLedger(ledger);
    expect([...sold.values()].filter((n) => !live.has(n) && !voided.has(n))).toEqual([]);
  });
});

/** Waits until no carrier operation is left unresolved. */
async function settled(dbFile: string, server: ChildServer): Promise<void> {
  const db = createDataSource({ url: `sqlite:${dbFile}` });
  await db.initialize();
  try {
    const deadline = Date.now() + 30_000;
    const unresolved = () =>
      db.query(`SELECT id FROM carrier_operations WHERE status IN ('PENDING', 'VOIDING')`);
    while (((await unresolved()) as Json[]).length > 0) {
      if (Date.now() > deadline) throw new Error(`operations left pending:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await db.destroy();
  }
}

async function checkInvariants(dbFile: string, purchases: Purchase[], events: CarrierEvent[]) {
  const db = createDataSource({ url: `sqlite:${dbFile}` });
  await db.initialize();
  try {
    const none = async (what: string, sql: string) =>
      expect({ what, rows: await db.query(sql) }).toEqual({ what, rows: [] });
    const sig = `'${SignatureOption.NONE}'`;
    await none(
      'labels without their postage charge',
      `SELECT l.id FROM labels l WHERE NOT EXISTS
         (SELECT 1 FROM charges c WHERE c."labelId" = l.id AND c.kind = 'POSTAGE')`,
    );
    await none(
      'signature labels without their fee charge',
      `SELECT l.id FROM labels l WHERE l."signatureOption" <> ${sig} AND NOT EXISTS
         (SELECT 1 FROM charges c WHERE c."labelId" = l.id AND c.kind = 'SIGNATURE_FEE')`,
    );
    await none(
      'labels without a shipment',
      `SELECT l.id FROM labels l WHERE NOT EXISTS (SELECT 1 FROM shipments s WHERE s."labelId" = l.id)`,
    );
    await none(
      'signature labels without the buyer notification',
      `SELECT l.id FROM labels l WHERE l."signatureOption" <> ${sig} AND NOT EXISTS
         (SELECT 1 FROM notifications n WHERE n."orderId" = l."orderId" AND n.kind = 'SIGNATURE_REQUIRED')`,
    );
    await none(
      'charges without a label',
      `SELECT c.id FROM charges c WHERE NOT EXISTS (SELECT 1 FROM labels l WHERE l.id = c."labelId")`,
    );
    await none(
      'orders with two labels',
      `SELECT "orderId" FROM labels GROUP BY "orderId" HAVING COUNT(*) > 1`,
    );
    await none(
      'carrier events stored twice',
      `SELECT "carrierEventId" FROM tracking_events GROUP BY carrier, "carrierEventId" HAVING COUNT(*) > 1`,
    );
    const labels = (await db.query(BOUGHT_HERE)) as Json[];
    expect(labels.map((l) => l.trackingNumber).sort()).toEqual(
      purchases.map((p) => p.done!.trackingNumber).sort(),
    );
    const stored = new Set(
      ((await db.query(`SELECT "carrierEventId" FROM tracking_events`)) as Json[]).map(
        (r) => r.carrierEventId,
      ),
    );
    expect(events.filter((e) => e.acked && !stored.has(e.eventId))).toEqual([]);
  } finally {
    await db.destroy();
  }
}

/** Resolves once `line` has been printed `times` times by the server. */
async function printed(server: ChildServer, line: string, times: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (server.output().split(line).length - 1 < times) {
    if (Date.now() > deadline) throw new Error(`no ${times} × ${line}:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const inputOf = (p: Purchase) => ({
  quoteId: p.quote!.id,
  rateId: p.quote!.rateId,
  signatureOption: p.option as `${SignatureOption}`,
  idempotencyKey: p.key,
});

describe('killed after the carrier sold a label, before the commit', () => {
  it('leaves pending purchases that the next start attaches to their key or voids at the carrier', async () => {
    const dbFile = path.join(dir, 'lost.sqlite');
    const ledger = path.join(dir, 'lost.ledger');
    const main = writeLedgerMain(build.mainJs);
    const env = {
      DATABASE_URL: `sqlite:${dbFile}`,
      CARRIER_LEDGER: ledger,
      HANG_AFTER_FIRST_SALE: 'on',
    };
    let server = await startChild(main, env);
    const token = SELLERS[0];
    const [keptOrder, cancelledOrder] = await readyToBuy(server.url, token);
    const option = SignatureOption.NONE;
    const kept: Purchase = { orderId: keptOrder, token, option, key: 'hang-kept' };
    const cancelled: Purchase = { orderId: cancelledOrder, token, option, key: 'hang-cancelled' };
    await quoteFor(server.url, kept);
    await quoteFor(server.url, cancelled);

    // Both purchases reach the carrier, which sells the labels; the process dies before either
    // answer is committed.
    const cut = [kept, cancelled].map((p) =>
      purchase(server.url, p).then(
        () => 'answered',
        () => 'cut',
      ),
    );
    await printed(server, 'SOLD-AND-HANGING', 2);
    server.process.kill('SIGKILL');
    expect((await server.exited).signal).toBe('SIGKILL');
    expect(await Promise.all(cut)).toEqual(['cut', 'cut']);
    const soldFor = (key: string) =>
      [...readLedger(ledger).sold].find(([reference]) => reference.endsWith(`:${key}`))?.[1];
    const keptNumber = soldFor('hang-kept');
    const cancelledNumber = soldFor('hang-cancelled');
    expect(keptNumber).toBeDefined();
    expect(cancelledNumber).toBeDefined();

    // While the server is down, the second order is cancelled: its label cannot be attached.
    const db = createDataSource({ url: `sqlite:${dbFile}` });
    await db.initialize();
    const unresolved = () =>
      db.query(`SELECT id FROM carrier_operations WHERE status IN ('PENDING', 'VOIDING')`);
    try {
      expect(await unresolved()).toHaveLength(2);
      await db.query(`UPDATE orders SET status = 'CANCELLED' WHERE id = ?`, [
        fromGlobalId(cancelledOrder, 'Order'),
      ]);

      // The next start reconciles both without any client retrying.
      server = await startChild(main, env);
      await settled(dbFile, server);
      const { voided } = readLedger(ledger);
      expect([...voided]).toEqual([cancelledNumber]);

      // The retry with the key that paid gets the label the carrier sold for it.
      const client = childClient(server.url);
      const retried = (await buy(client, token, inputOf(kept))).data!.purchaseLabel;
      expect(retried.userErrors).toEqual([]);
      expect(retried.label!.trackingNumber).toBe(keptNumber);
      // The other key was released when its label went back.
      const refused = (await buy(client, token, inputOf(cancelled))).data!.purchaseLabel;
      expect(refused.userErrors.map((e) => e.code)).toEqual(['ORDER_NOT_SHIPPABLE']);

      // Nothing the carrier sold is paid and unaccounted: each number is on a live label or void.
      const live = new Set(
        (
          (await db.query(
            `SELECT "trackingNumber" FROM labels WHERE status = 'PURCHASED'`,
          )) as Json[]
        ).map((l) => l.trackingNumber as string),
      );
      const after = readLedger(ledger);
      expect([...after.sold.values()].filter((n) => !live.has(n) && !after.voided.has(n))).toEqual(
        [],
      );
    } finally {
      await db.destroy();
    }
    server.process.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });
});

describe('graceful shutdown', () => {
  it('drains in-flight requests, closes subscriptions cleanly and exits 0 on SIGTERM', async () => {
    const dbFile = path.join(dir, 'drain.sqlite');
    const env = { DATABASE_URL: `sqlite:${dbFile}` };
    const server = await startChild(build.mainJs, env);
    const token = SELLERS[0];
    const purchases: Purchase[] = (await readyToBuy(server.url, token)).map((orderId) => ({
      orderId,
      token,
      option: SignatureOption.SIGNATURE_REQUIRED,
      key: `drain-${orderId}`,
    }));
    for (const p of purchases) await quoteFor(server.url, p);

    // A dashboard subscription that must see a clean close, not a dropped socket.
    const client = createClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      // The close is asserted below; the client would otherwise print it as an error.
      onNonLazyError: () => {},
      connectionParams: { authorization: `Bearer ${token}` },
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.on('closed', (event) => resolve(event as { code: number; reason: string })),
    );
    client.subscribe(
      { query: 'subscription { sellerShipmentFeed { changes } }' },
      {
        next: () => {},
        error: () => {},
        complete: () => {},
      },
    );
    await new Promise<void>((resolve) => client.on('connected', () => resolve()));

    // The purchases queue on SQLite's single writer: after the first answer, most are in flight.
    let firstAnswer!: () => void;
    const answered = new Promise<void>((resolve) => (firstAnswer = resolve));
    const results = purchases.map((p) =>
      purchase(server.url, p).then(
        () => {
          firstAnswer();
          return 'ok';
        },
        (error: Error) => `failed: ${error.message}`,
      ),
    );
    await answered;
    server.process.kill('SIGTERM');

    expect(await Promise.all(results)).toEqual(purchases.map(() => 'ok'));
    expect(await closed).toMatchObject({ code: 1001 });
    expect(await server.exited).toEqual({ code: 0, signal: null });
    await client.dispose();

    // Everything answered was committed.
    const db = createDataSource({ url: `sqlite:${dbFile}` });
    await db.initialize();
    const labels = (await db.query(BOUGHT_HERE)) as Json[];
    await db.destroy();
    expect(labels.map((l) => l.trackingNumber).sort()).toEqual(
      purchases.map((p) => p.done!.trackingNumber).sort(),
    );
  });
});
