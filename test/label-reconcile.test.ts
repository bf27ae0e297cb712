import { CarrierOperation, IdempotencyRecord, Label, Order } from '../src/entities';
import { CarrierOperationKind, CarrierOperationStatus, Carrier } from '../src/entities/enums';
import { fromGlobalId } from '../src/core/global-id';
import { purchaseRequestHash } from '../src/services/label-idempotency';
import { CarrierReconciler } from '../src/workers/carrier-reconciler';
import { pickOrder, pickRate, purchase, quoteOrder } from './support/labels';
import { acceptCurrentTerms } from './support/seller-flow';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/**
 * A purchase whose process died after the carrier sold the label and before the commit leaves a
 * PENDING carrier operation holding its idempotency key. The reconciler (or a retry with the key)
 * resolves it: the label goes to the key that paid for it, or back to the carrier.
 */

let server: TestServer;
let seller: string;

beforeAll(async () => {
  server = await startTestServer();
  seller = server.tokens.seller[0];
  await acceptCurrentTerms(server, seller);
});
afterAll(() => server.stop());
afterEach(() => jest.restoreAllMocks());

const used = new Set<string>();

/** A purchaseLabel input, with the ids as the API hands them out (strings). */
interface Input {
  quoteId: string;
  rateId: string;
  signatureOption: 'NONE';
  idempotencyKey: string;
}

const reconciler = () =>
  new CarrierReconciler(server.db, server.services.carrierOperations, server.logger, {
    intervalMs: 60_000,
    carrierTimeoutMs: 1_000,
  });

/** A quoted purchase input on an unused order of the first seller (UPS Ground, no signature). */
async function quotedInput(key: string) {
  const order = await pickOrder(server, seller, {
    filter: { status: 'AWAITING_SHIPMENT', riskLevel: 'LOW' },
    taken: used,
  });
  const quote = await quoteOrder(server, seller, order.id);
  const rate = pickRate(quote, { service: 'UPS_GROUND' });
  const input: Input = {
    quoteId: quote.id,
    rateId: rate.id,
    signatureOption: 'NONE',
    idempotencyKey: key,
  };
  return { order, input, orderId: fromGlobalId(order.id, 'Order') };
}

/**
 * What a purchase had committed when its process was SIGKILLed after the carrier sold the label:
 * the key claimed by a PENDING operation under a lease of a dead process (run out).
 */
async function abandonedPurchase(input: Input, orderId: number) {
  const m = server.db.manager;
  const order = await m.findOneByOrFail(Order, { id: orderId });
  const reference = `${order.sellerId}:${input.idempotencyKey}`;
  const now = new Date();
  const op = await server.db.transaction(async ({ manager }) => {
    const row = manager.create(CarrierOperation, {
      kind: CarrierOperationKind.PURCHASE,
      status: CarrierOperationStatus.PENDING,
      sellerId: order.sellerId,
      idempotencyKey: input.idempotencyKey,
      reference,
      quoteId: fromGlobalId(input.quoteId, 'LabelQuote'),
      rateId: input.rateId,
      signatureOption: input.signatureOption as CarrierOperation['signatureOption'],
      carrier: Carrier.UPS,
      trackingNumber: null,
      labelId: null,
      attempts: 0,
      lastError: null,
      claimedBy: 'deadprocess0:lease',
      claimedUntil: new Date(now.getTime() - 1_000),
      createdAt: now,
      updatedAt: now,
    });
    await manager.insert(CarrierOperation, row);
    await manager.insert(IdempotencyRecord, {
      sellerId: order.sellerId,
      key: input.idempotencyKey,
      requestHash: purchaseRequestHash(input),
      labelId: null,
      operationId: row.id,
      createdAt: now,
    });
    return row;
  });
  // The carrier sold the label before the process died; the sandbox, as a carrier that dedupes
  // by reference, answers the reference with that same label when asked again.
  return op;
}

const operation = (id: number) => server.db.manager.findOneByOrFail(CarrierOperation, { id });

describe('a purchase killed between the carrier and the commit', () => {
  it('is attached to the key that paid for it by the reconciler; the retry replays it', async () => {
    const { input, orderId } = await quotedInput('abandoned-attach');
    const op = await abandonedPurchase(input, orderId);
    const bought = jest.spyOn(server.carriers, 'purchase');
    const voids = jest.spyOn(server.carriers, 'void');

    expect((await reconciler().runOnce()).taken).toBe(1);
    // Asked again under the same reference: the carrier answers with the label it sold.
    expect(bought.mock.calls.map(([r]) => r.reference)).toEqual([op.reference]);
    const label = await server.db.manager.findOneByOrFail(Label, { orderId });
    expect(await operation(op.id)).toMatchObject({
      status: 'COMPLETED',
      labelId: label.id,
      trackingNumber: label.trackingNumber,
      claimedBy: null,
    });
    expect(voids).not.toHaveBeenCalled();

    const retry = await purchase(server, seller, input);
    expect(retry.data?.purchaseLabel.userErrors).toEqual([]);
    expect(retry.data?.purchaseLabel.label?.trackingNumber).toBe(label.trackingNumber);
    expect(bought).toHaveBeenCalledTimes(1);
    expect(await server.db.manager.count(Label, { where: { orderId } })).toBe(1);
  });

  it('is resolved once when two reconcilers (two instances) look at the same time', async () => {
    const { input, orderId } = await quotedInput('abandoned-two-reconcilers');
    const op = await abandonedPurchase(input, orderId);
    const bought = jest.spyOn(server.carriers, 'purchase');
    const voids = jest.spyOn(server.carriers, 'void');
    const runs = await Promise.all([reconciler().runOnce(), reconciler().runOnce()]);
    expect(runs.map((r) => r.taken).sort()).toEqual([0, 1]);
    expect(bought).toHaveBeenCalledTimes(1);
    expect(voids).not.toHaveBeenCalled();
    expect(await operation(op.id)).toMatchObject({ status: 'COMPLETED' });
    expect(await server.db.manager.count(Label, { where: { orderId } })).toBe(1);
  });

  it('is voided at the carrier when the order took another label meanwhile; the key is free again', async () => {
    const { input, orderId } = await quotedInput('abandoned-void');
    const op = await abandonedPurchase(input, orderId);
    // Another key labels the order before the reconciler runs.
    const other = await purchase(server, seller, { ...input, idempotencyKey: 'abandoned-other' });
    const kept = other.data!.purchaseLabel.label!.trackingNumber;
    const voids = jest.spyOn(server.carriers, 'void');

    await reconciler().runOnce();
    const resolved = await operation(op.id);
    expect(resolved).toMatchObject({ status: 'VOIDED', labelId: null });
    expect(resolved.trackingNumber).not.toBe(kept);
    expect(voids.mock.calls.map(([r]) => r.trackingNumber)).toEqual([resolved.trackingNumber]);
    expect(
      await server.db.manager.count(IdempotencyRecord, {
        where: { key: 'abandoned-void' },
      }),
    ).toBe(0);

    // The key was released: its retry is answered as a new request for a labeled order.
    const retry = await purchase(server, seller, input);
    expect(retry.data?.purchaseLabel.userErrors[0]?.code).toBe('ORDER_ALREADY_LABELED');
    expect((await server.db.manager.findOneByOrFail(Label, { orderId })).trackingNumber).toBe(kept);
  });

  it('is resolved by a retry with the same key when no reconciler has run yet', async () => {
    const { input, orderId } = await quotedInput('abandoned-retry');
    const op = await abandonedPurchase(input, orderId);
    const voids = jest.spyOn(server.carriers, 'void');
    const retry = await purchase(server, seller, input);
    expect(retry.data?.purchaseLabel.userErrors).toEqual([]);
    const label = await server.db.manager.findOneByOrFail(Label, { orderId });
    expect(retry.data?.purchaseLabel.label?.trackingNumber).toBe(label.trackingNumber);
    expect(await operation(op.id)).toMatchObject({ status: 'COMPLETED', labelId: label.id });
    expect(voids).not.toHaveBeenCalled();
  });

  it('gives back a label the carrier sold without answering in time', async () => {
    const { input, orderId } = await quotedInput('unanswered-sale');
    const gateway = server.carriers;
    const sell = gateway.purchase.bind(gateway);
    let sold: string | null = null;
    jest.spyOn(gateway, 'purchase').mockImplementationOnce(async (request) => {
      // Sold at the carrier; the answer never arrives.
      sold = (await sell(request)).trackingNumber;
      return new Promise(() => {});
    });
    const res = await purchase(server, seller, input);
    expect(res.data?.purchaseLabel.userErrors[0]?.code).toBe('CARRIER_UNAVAILABLE');
    const op = await server.db.manager.findOneByOrFail(CarrierOperation, {
      kind: CarrierOperationKind.PURCHASE,
      idempotencyKey: 'unanswered-sale',
    });
    expect(op).toMatchObject({ status: 'VOIDING', trackingNumber: null, claimedBy: null });
    const voids = jest.spyOn(gateway, 'void');

    await reconciler().runOnce();
    expect(voids.mock.calls.map(([r]) => r.trackingNumber)).toEqual([sold]);
    expect(await operation(op.id)).toMatchObject({ status: 'VOIDED', trackingNumber: sold });

    // The retry buys under a reference of its own: never the label that went back.
    const retry = await purchase(server, seller, input);
    expect(retry.data?.purchaseLabel.userErrors).toEqual([]);
    expect(retry.data?.purchaseLabel.label?.trackingNumber).not.toBe(sold);
    expect(await server.db.manager.count(Label, { where: { orderId } })).toBe(1);
  });
});
