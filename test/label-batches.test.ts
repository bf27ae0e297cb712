import { print } from 'graphql';
import { PDFDocument } from 'pdf-lib';
import { In } from 'typeorm';
import { fromGlobalId, toGlobalId } from '../src/core/global-id';
import { LineItem, Order } from '../src/entities';
import { OrderStatus } from '../src/entities/enums';
import {
  CreateLabelBatchDocument,
  LabelBatchDocument,
  LabelBatchProgressDocument,
} from './generated/operations';
import type { LabelBatchItemInput, LabelBatchProgressSubscription } from './generated/operations';
import { pickRate, quoteOrder } from './support/labels';
import { acceptCurrentTerms } from './support/seller-flow';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';
import { liveSubscriptions } from './support/ws-client';
import { waitFor } from './support/wait';
import { LabelBatchWorker } from '../src/workers/label-batch-worker';

/**
 * Label batches end to end: a seller queues labels for 100 orders in one request, the worker buys
 * them in the background while progress is pushed over graphql-ws, each item ends with its label
 * or its user error, and one merged PDF holds a page per label bought.
 */

let server: TestServer;
let seller: string;
const subs = liveSubscriptions(() => server);

beforeAll(async () => {
  server = await startTestServer();
  seller = server.tokens.seller[0];
  await acceptCurrentTerms(server, seller);
});
afterEach(() => subs.closeAll());
afterAll(() => server.stop());

/** The seed sellers' ids, in seed order (the tokens' order). */
async function sellerIds(): Promise<number[]> {
  const orders = await server.db.manager.find(Order, { select: { sellerId: true } });
  return [...new Set(orders.map((o) => o.sellerId))].sort((a, b) => a - b);
}

/** The seller's orders awaiting shipment, with their line items, oldest first. */
async function awaitingOrders(sellerId: number) {
  const m = server.db.manager;
  const orders = await m.find(Order, {
    where: { sellerId, status: OrderStatus.AWAITING_SHIPMENT },
    order: { id: 'ASC' },
  });
  const items = await m.find(LineItem, { where: { orderId: In(orders.map((o) => o.id)) } });
  return orders.map((order) => ({ order, items: items.filter((i) => i.orderId === order.id) }));
}

/**
 * The seeds give a seller about twenty orders: copies of `template` (a new number, the same
 * buyer, address and items) until the seller has `count` orders awaiting shipment.
 */
async function ensureOrders(template: Order, have: number, count: number): Promise<number[]> {
  const m = server.db.manager;
  const lines = await m.find(LineItem, { where: { orderId: template.id } });
  const ids: number[] = [];
  for (let i = have; i < count; i++) {
    const { id: _id, ...fields } = template;
    const number = `CS-B${String(i).padStart(4, '0')}`;
    const copy = m.create(Order, { ...fields, number, externalId: number });
    await m.insert(Order, copy);
    for (const line of lines) {
      const { id: _lineId, ...lineFields } = line;
      await m.insert(LineItem, m.create(LineItem, { ...lineFields, orderId: copy.id }));
    }
    ids.push(copy.id);
  }
  return ids;
}

describe('label batches', () => {
  it('buys 100 orders in the background with progress pushes, per-item results and one merged PDF', async () => {
    const [sellerId] = await sellerIds();
    const mine = await awaitingOrders(sellerId);
    // The deliberately ineligible item: a laptop by Media Mail (media only).
    const laptop = mine.find(({ items }) => items.some((i) => i.sku === 'HP-LTP-14PRO'))!;
    const plain = mine.filter(
      ({ order, items }) =>
        order !== laptop.order && !order.onHold && items.every((i) => !i.ageRestricted),
    );
    const extra = await ensureOrders(plain[0].order, plain.length + 1, 100);
    const ruleOrders = [...plain.slice(1).map((o) => o.order.id), ...extra];
    expect(ruleOrders.length).toBe(98);

    const explicitId = toGlobalId('Order', plain[0].order.id);
    const explicitQuote = await quoteOrder(server, seller, explicitId);
    const laptopId = toGlobalId('Order', laptop.order.id);
    const laptopQuote = await quoteOrder(server, seller, laptopId);
    const items: LabelBatchItemInput[] = [
      {
        orderId: explicitId,
        quoteId: explicitQuote.id,
        rateId: pickRate(explicitQuote, { option: 'NONE' }).id,
        signatureOption: 'NONE',
        idempotencyKey: 'batch-explicit',
      },
      ...ruleOrders.slice(0, 49).map((id, i) => ({
        orderId: toGlobalId('Order', id),
        rule: 'CHEAPEST_SUPPORTING_RECOMMENDED' as const,
        idempotencyKey: `batch-rule-${i}`,
      })),
      {
        orderId: laptopId,
        quoteId: laptopQuote.id,
        rateId: pickRate(laptopQuote, { service: 'USPS_MEDIA_MAIL' }).id,
        signatureOption: 'NONE',
        idempotencyKey: 'batch-laptop-media-mail',
      },
      ...ruleOrders.slice(49).map((id, i) => ({
        orderId: toGlobalId('Order', id),
        rule: 'CHEAPEST_SUPPORTING_RECOMMENDED' as const,
        idempotencyKey: `batch-rule-${49 + i}`,
      })),
    ];
    expect(items.length).toBe(100);
    const ineligibleIndex = 50;

    const created = await server.gql(CreateLabelBatchDocument, { input: { items } }, seller);
    expect(created.errors).toBeUndefined();
    expect(created.data!.createLabelBatch.userErrors).toEqual([]);
    const batch = created.data!.createLabelBatch.batch!;
    expect(batch).toMatchObject({ status: 'QUEUED', total: 100, done: 0 });
    const batchId = fromGlobalId(batch.id, 'LabelBatch');

    // Another seller neither reads nor follows it.
    const other = server.tokens.seller[1];
    const peek = await server.gql(LabelBatchDocument, { id: batch.id }, other);
    expect(peek.data?.labelBatch).toBeNull();
    const spy = subs.start(other, LabelBatchProgressDocument, { batchId: batch.id });
    const refused = await spy.ended;
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const live = subs.start(seller, LabelBatchProgressDocument, { batchId: batch.id });
    const first = await live.next();
    expect(first.data?.labelBatchProgress).toMatchObject({
      batch: { status: 'QUEUED', done: 0 },
      item: null,
    });
    await subs.listening('batch:progress', batchId);

    server.batchWorker.start();
    const pushes: LabelBatchProgressSubscription['labelBatchProgress'][] = [];
    for (;;) {
      const pushed = await live.next(60_000);
      expect(pushed.errors).toBeUndefined();
      pushes.push(pushed.data!.labelBatchProgress);
      if (pushed.data!.labelBatchProgress.batch.status === 'COMPLETED') break;
    }
    const itemPushes = pushes.filter((p) => p.item);
    expect(itemPushes.length).toBe(100);
    expect(new Set(itemPushes.map((p) => p.item!.index)).size).toBe(100);
    expect(itemPushes.map((p) => p.batch.done)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    const failedPush = itemPushes.find((p) => p.item!.index === ineligibleIndex)!;
    expect(failedPush.item).toMatchObject({ status: 'FAILED', label: null });
    expect(failedPush.item!.userErrors[0].code).toBe('CONTENTS_NOT_ELIGIBLE');
    expect(itemPushes.find((p) => p.item!.index === 0)!.item!.label?.trackingNumber).toBeTruthy();
    expect(pushes[pushes.length - 1].batch).toMatchObject({
      status: 'COMPLETED',
      done: 100,
      succeeded: 99,
      failed: 1,
    });

    const read = await server.gql(LabelBatchDocument, { id: batch.id }, seller);
    expect(read.errors).toBeUndefined();
    const result = read.data!.labelBatch!;
    expect(result).toMatchObject({ status: 'COMPLETED', succeeded: 99, failed: 1 });
    expect(result.completedAt).toBeTruthy();
    expect(result.items).toHaveLength(100);
    result.items.forEach((item, i) => {
      expect(item.index).toBe(i);
      expect(item.order?.id).toBe(items[i].orderId);
      if (i === ineligibleIndex) {
        expect(item).toMatchObject({ status: 'FAILED', label: null });
        expect(item.userErrors).toEqual([
          expect.objectContaining({ code: 'CONTENTS_NOT_ELIGIBLE', field: ['input', 'rateId'] }),
        ]);
      } else {
        expect(item.status).toBe('SUCCEEDED');
        expect(item.userErrors).toEqual([]);
        expect(item.label?.trackingNumber).toBeTruthy();
      }
    });

    const res = await fetch(new URL(result.mergedDocument!.url, server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = await PDFDocument.load(new Uint8Array(await res.arrayBuffer()));
    expect(pdf.getPageCount()).toBe(99);

    // The link is the seller's: a tampered one is refused.
    const tampered = new URL(result.mergedDocument!.url, server.url);
    tampered.searchParams.set('seller', '999');
    expect((await fetch(tampered)).status).toBe(403);
  }, 180_000);

  it('tries an item again when the carrier is down, and gives up after three tries', async () => {
    const curio = server.tokens.seller[2];
    await acceptCurrentTerms(server, curio);
    const [, , curioId] = await sellerIds();
    const [a, b] = (await awaitingOrders(curioId)).filter(
      ({ order, items }) => !order.onHold && items.every((i) => !i.ageRestricted),
    );
    const rule = 'CHEAPEST_SUPPORTING_RECOMMENDED' as const;
    const queue = async (orderId: number, key: string) => {
      const res = await server.gql(
        CreateLabelBatchDocument,
        {
          input: { items: [{ orderId: toGlobalId('Order', orderId), rule, idempotencyKey: key }] },
        },
        curio,
      );
      expect(res.data?.createLabelBatch.userErrors).toEqual([]);
      return res.data!.createLabelBatch.batch!.id;
    };
    const worker = new LabelBatchWorker(server.db, server.services, server.events, server.logger, {
      retryDelayMs: () => 0,
    });
    // Rounds until the batch completes, bounded by time rather than a count of rounds: a round
    // may find nothing to do yet (a retried item is due from the next millisecond).
    const runUntilDone = (batchId: string) =>
      waitFor('the batch to complete', async () => {
        await worker.runOnce();
        const read = await server.gql(LabelBatchDocument, { id: batchId }, curio);
        return read.data?.labelBatch?.status === 'COMPLETED' ? read.data.labelBatch : null;
      });
    const carrier = jest.spyOn(server.carriers, 'purchase');
    try {
      carrier.mockRejectedValueOnce(new Error('carrier down'));
      const passing = await runUntilDone(await queue(a.order.id, 'retry-once'));
      expect(passing.items[0]).toMatchObject({ status: 'SUCCEEDED', userErrors: [] });
      expect(carrier).toHaveBeenCalledTimes(2);

      carrier.mockClear();
      carrier.mockRejectedValue(new Error('carrier down'));
      const failing = await runUntilDone(await queue(b.order.id, 'retry-never'));
      expect(failing).toMatchObject({ failed: 1, succeeded: 0, mergedDocument: null });
      expect(failing.items[0].userErrors[0].code).toBe('CARRIER_UNAVAILABLE');
      expect(carrier).toHaveBeenCalledTimes(3);
    } finally {
      carrier.mockRestore();
      await worker.stop();
    }
  });

  it('buys each item once when two workers share a batch', async () => {
    const curio = server.tokens.seller[2];
    await acceptCurrentTerms(server, curio);
    const [, , curioId] = await sellerIds();
    const free = (await awaitingOrders(curioId)).filter(
      ({ order, items }) => !order.onHold && items.every((i) => !i.ageRestricted),
    );
    const orders = free.slice(0, 4);
    expect(orders).toHaveLength(4);
    const res = await server.gql(
      CreateLabelBatchDocument,
      {
        input: {
          items: orders.map(({ order }, i) => ({
            orderId: toGlobalId('Order', order.id),
            rule: 'CHEAPEST_SUPPORTING_RECOMMENDED' as const,
            idempotencyKey: `shared-${i}`,
          })),
        },
      },
      curio,
    );
    const batchId = res.data!.createLabelBatch.batch!.id;
    const workers = ['one', 'two'].map(
      (workerId) =>
        new LabelBatchWorker(server.db, server.services, server.events, server.logger, {
          workerId,
        }),
    );
    const carrier = jest.spyOn(server.carriers, 'purchase');
    try {
      await Promise.all(workers.map((w) => w.runOnce()));
      const read = await server.gql(LabelBatchDocument, { id: batchId }, curio);
      expect(read.data?.labelBatch).toMatchObject({
        status: 'COMPLETED',
        done: 4,
        succeeded: 4,
        failed: 0,
      });
      expect(carrier).toHaveBeenCalledTimes(4);
      const numbers = read.data!.labelBatch!.items.map((i) => i.label?.trackingNumber);
      expect(new Set(numbers).size).toBe(4);
    } finally {
      carrier.mockRestore();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });

  it('refuses 101 items with INVALID_INPUT and queues nothing', async () => {
    const items = Array.from({ length: 101 }, (_, i) => ({
      orderId: toGlobalId('Order', i + 1),
      rule: 'CHEAPEST_SUPPORTING_RECOMMENDED' as const,
      idempotencyKey: `too-many-${i}`,
    }));
    const res = await server.gql(CreateLabelBatchDocument, { input: { items } }, seller);
    expect(res.data?.createLabelBatch.batch).toBeNull();
    expect(res.data?.createLabelBatch.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', 'items'] }),
    ]);
  });

  it('refuses a batch that uses one idempotency key twice', async () => {
    const [sellerId] = await sellerIds();
    const [a, b] = (await awaitingOrders(sellerId)).map((o) => toGlobalId('Order', o.order.id));
    const rule = 'CHEAPEST_SUPPORTING_RECOMMENDED' as const;
    const res = await server.gql(
      CreateLabelBatchDocument,
      {
        input: {
          items: [
            { orderId: a, rule, idempotencyKey: 'same-key' },
            { orderId: b, rule, idempotencyKey: 'same-key' },
          ],
        },
      },
      seller,
    );
    expect(res.data?.createLabelBatch.batch).toBeNull();
    expect(res.data?.createLabelBatch.userErrors).toEqual([
      expect.objectContaining({
        code: 'INVALID_INPUT',
        field: ['input', 'items', '1', 'idempotencyKey'],
      }),
    ]);
  });

  it("refuses another seller's order as ORDER_NOT_FOUND", async () => {
    const [, secondSeller] = await sellerIds();
    const [theirs] = await awaitingOrders(secondSeller);
    const res = await server.gql(
      CreateLabelBatchDocument,
      {
        input: {
          items: [
            {
              orderId: toGlobalId('Order', theirs.order.id),
              rule: 'CHEAPEST_SUPPORTING_RECOMMENDED',
              idempotencyKey: 'not-mine',
            },
          ],
        },
      },
      seller,
    );
    expect(res.data?.createLabelBatch.batch).toBeNull();
    expect(res.data?.createLabelBatch.userErrors).toEqual([
      expect.objectContaining({
        code: 'ORDER_NOT_FOUND',
        field: ['input', 'items', '0', 'orderId'],
      }),
    ]);
  });
});

describe('the batch item budget', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({
      RATE_LIMITS: 'on',
      RATE_LIMIT_IP_PER_MINUTE: '10000',
      RATE_LIMIT_BATCH_ITEMS_PER_HOUR: '150',
    });
  });
  afterAll(() => limited?.stop());

  /** A batch of `count` items of orders that do not exist (refused, but asked for). */
  const ask = (count: number, tag: string) => {
    const items = Array.from({ length: count }, (_, i) => ({
      orderId: toGlobalId('Order', 900_000 + i),
      rule: 'CHEAPEST_SUPPORTING_RECOMMENDED' as const,
      idempotencyKey: `${tag}-${i}`,
    }));
    return fetch(limited.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${limited.tokens.seller[0]}`,
      },
      body: JSON.stringify({
        query: print(CreateLabelBatchDocument),
        variables: { input: { items } },
      }),
    });
  };

  it('fits a batch of 100, spends its items, and refuses what no longer fits', async () => {
    const first = await ask(100, 'a');
    expect(first.status).toBe(200);
    const body = (await first.json()) as { data: { createLabelBatch: { userErrors: unknown[] } } };
    expect(body.data.createLabelBatch.userErrors.length).toBeGreaterThan(0);
    const second = await ask(100, 'b');
    expect(second.status).toBe(429);
    const refused = (await second.json()) as {
      errors: Array<{ extensions: { code: string; limit: string } }>;
    };
    expect(refused.errors[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      limit: 'BATCH_ITEMS',
    });
    // What is left of the budget still buys a smaller batch.
    expect((await ask(50, 'c')).status).toBe(200);
  });
});
