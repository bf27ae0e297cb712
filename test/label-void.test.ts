import {
  Buyer,
  CarrierOperation,
  Charge,
  Label,
  Notification,
  NotificationDelivery,
  Shipment,
  TrackingEvent,
} from '../src/entities';
import { internalEventId } from '../src/services/tracking/event-ids';
import { carrierEvent, postCarrierEvent } from './support/carrier';
import { CarrierOperationKind, ChargeKind, NotificationStatus } from '../src/entities/enums';
import { CarrierReconciler } from '../src/workers/carrier-reconciler';
import { fromGlobalId } from '../src/core/global-id';
import { OutboxWorker } from '../src/workers/outbox-worker';
import { NotificationsDocument, VoidLabelFullDocument } from './generated/operations';
import { buyLabel, pickOrder, pickRate, purchase, quoteOrder } from './support/labels';
import { acceptCurrentTerms } from './support/seller-flow';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

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

/** An unused order of the first seller that USPS Ground Advantage can carry (a US address). */
async function uspsOrder() {
  for (;;) {
    const order = await pickOrder(server, seller, { taken: used });
    const quote = await quoteOrder(server, seller, order.id);
    if (quote.rates.some((r) => r.service.code === 'USPS_GROUND_ADVANTAGE')) return order;
  }
}

/** A signed-for label on an unused order of the first seller, with its buyer notice. */
async function signedLabel(key: string) {
  const order = await uspsOrder();
  const { label } = await buyLabel(server, seller, {
    orderId: order.id,
    service: 'USPS_GROUND_ADVANTAGE',
    signatureOption: 'SIGNATURE_REQUIRED',
    idempotencyKey: key,
  });
  const labelId = fromGlobalId(label.id, 'Label');
  const orderId = fromGlobalId(order.id, 'Order');
  const notice = await server.db.manager.findOneByOrFail(Notification, { orderId });
  expect(notice.status).toBe(NotificationStatus.PENDING);
  return { label, labelId, orderId, notice };
}

const voidLabel = (labelGid: string) =>
  server.gql(VoidLabelFullDocument, { input: { labelId: labelGid } }, seller);

/** What the database says about a label after a void attempt. */
async function stateOf(labelId: number, notice: Notification) {
  const m = server.db.manager;
  return {
    label: (await m.findOneByOrFail(Label, { id: labelId })).status,
    shipment: (await m.findOneByOrFail(Shipment, { labelId })).status,
    refunds: await m.count(Charge, { where: { labelId, kind: ChargeKind.REFUND } }),
    notice: (await m.findOneByOrFail(Notification, { id: notice.id })).status,
  };
}

/** Makes every INSERT into `table` fail until the returned function is called. */
async function failInsertsInto(table: string): Promise<() => Promise<void>> {
  const m = server.db.manager;
  if (server.db.kind === 'postgres') {
    await m.query(
      `CREATE FUNCTION cs_test_void_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`,
    );
    await m.query(
      `CREATE TRIGGER cs_test_void_fail BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION cs_test_void_fail()`,
    );
    return async () => {
      await m.query(`DROP TRIGGER cs_test_void_fail ON ${table}`);
      await m.query('DROP FUNCTION cs_test_void_fail()');
    };
  }
  await m.query(
    `CREATE TRIGGER cs_test_void_fail BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
  );
  return async () => {
    await m.query('DROP TRIGGER cs_test_void_fail');
  };
}

describe('voiding a label', () => {
  it("cancels the buyer's pending signature notice, so the outbox worker never sends it", async () => {
    const { label, labelId, notice } = await signedLabel('void-notice');
    const voided = await voidLabel(label.id);
    expect(voided.data?.voidLabel.userErrors).toEqual([]);
    expect((await stateOf(labelId, notice)).notice).toBe(NotificationStatus.CANCELLED);

    await new OutboxWorker(server.db, server.logger).runOnce();
    const m = server.db.manager;
    expect(await m.count(NotificationDelivery, { where: { notificationId: notice.id } })).toBe(0);
    expect(await m.findOneByOrFail(Notification, { id: notice.id })).toMatchObject({
      status: NotificationStatus.CANCELLED,
      sentAt: null,
    });

    // The buyer's list shows the notice as withdrawn.
    const buyerIds = (await m.find(Buyer, { order: { id: 'ASC' } })).map((b) => b.id);
    const buyerToken = server.tokens.buyer[buyerIds.indexOf(notice.buyerId)];
    const list = await server.gql(NotificationsDocument, { first: 50 }, buyerToken);
    const shown = list.data!.notifications.edges.find(
      (e) => fromGlobalId(e.node.id, 'Notification') === notice.id,
    );
    expect(shown?.node).toMatchObject({ kind: 'SIGNATURE_REQUIRED', status: 'CANCELLED' });
  });

  it('keeps a void the carrier confirmed but whose write failed pending, and finishes it on retry', async () => {
    const { label, labelId, notice } = await signedLabel('void-db-fails');
    const voids = jest.spyOn(server.carriers, 'void');
    const restore = await failInsertsInto('charges');
    let res;
    try {
      res = await voidLabel(label.id);
    } finally {
      await restore();
    }
    expect(res.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    // The carrier was asked outside the transaction and confirmed; nothing was written here,
    // and the void stays recorded, free for a retry or the reconciler to finish.
    expect(voids).toHaveBeenCalledTimes(1);
    expect(await stateOf(labelId, notice)).toEqual({
      label: 'PURCHASED',
      shipment: 'LABEL_CREATED',
      refunds: 0,
      notice: NotificationStatus.PENDING,
    });
    expect(
      await server.db.manager.findOneByOrFail(CarrierOperation, {
        kind: CarrierOperationKind.VOID,
        labelId,
      }),
    ).toMatchObject({ status: 'PENDING', claimedBy: null });

    const retried = await voidLabel(label.id);
    expect(retried.data?.voidLabel.userErrors).toEqual([]);
    expect(await stateOf(labelId, notice)).toEqual({
      label: 'VOIDED',
      shipment: 'CANCELLED',
      refunds: 2,
      notice: NotificationStatus.CANCELLED,
    });
    const ops = await server.db.manager.find(CarrierOperation, {
      where: { kind: CarrierOperationKind.VOID, labelId },
    });
    expect(ops.map((o) => o.status)).toEqual(['COMPLETED']);
  });

  it('does not hold a transaction while the carrier answers the void', async () => {
    const { label, labelId, notice } = await signedLabel('void-slow-carrier');
    const gateway = server.carriers;
    const grant = gateway.void.bind(gateway);
    let reached!: () => void;
    const atCarrier = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    jest.spyOn(gateway, 'void').mockImplementationOnce(async (request) => {
      reached();
      await answered;
      return grant(request);
    });
    const pending = voidLabel(label.id);
    let guard: NodeJS.Timeout | undefined;
    try {
      await atCarrier;
      // Another seller's write completes while the carrier has not answered the void.
      await Promise.race([
        acceptCurrentTerms(server, server.tokens.seller[1]),
        new Promise((_, reject) => {
          guard = setTimeout(
            () => reject(new Error('a write waited for the carrier call of a void')),
            2_000,
          );
        }),
      ]);
      expect((await stateOf(labelId, notice)).label).toBe('PURCHASED');
    } finally {
      clearTimeout(guard);
      release();
    }
    expect((await pending).data?.voidLabel.userErrors).toEqual([]);
    expect(await stateOf(labelId, notice)).toMatchObject({ label: 'VOIDED', refunds: 2 });
  });

  it('lets the void the carrier confirmed stand over a scan recorded during the carrier call', async () => {
    const { label, labelId, notice } = await signedLabel('void-scan-race');
    const gateway = server.carriers;
    const grant = gateway.void.bind(gateway);
    jest.spyOn(gateway, 'void').mockImplementationOnce(async (request) => {
      // The scan arrives (and commits: no transaction of the void is open) mid-call.
      const scan = await postCarrierEvent(
        server,
        label.carrier,
        carrierEvent(label.trackingNumber, { status: 'IN_TRANSIT' }),
      );
      expect(scan.status).toBe(200);
      return grant(request);
    });
    const res = await voidLabel(label.id);
    expect(res.data?.voidLabel.userErrors).toEqual([]);
    // The carrier took the label back, so the seller is refunded and the shipment cancelled.
    expect(await stateOf(labelId, notice)).toMatchObject({
      label: 'VOIDED',
      shipment: 'CANCELLED',
      refunds: 2,
    });
  });

  it('finishes a void the carrier did not answer in time through the reconciler', async () => {
    const { label, labelId, notice } = await signedLabel('void-reconciled');
    jest.spyOn(server.carriers, 'void').mockReturnValueOnce(new Promise(() => {}));
    const hung = await voidLabel(label.id);
    expect(hung.data?.voidLabel.userErrors[0]?.code).toBe('CARRIER_UNAVAILABLE');
    expect((await stateOf(labelId, notice)).label).toBe('PURCHASED');
    const voids = jest.spyOn(server.carriers, 'void');
    const reconciler = new CarrierReconciler(
      server.db,
      server.services.carrierOperations,
      server.logger,
      { intervalMs: 60_000, carrierTimeoutMs: 1_000 },
    );
    expect((await reconciler.runOnce()).taken).toBeGreaterThanOrEqual(1);
    expect(voids).toHaveBeenCalledWith(
      expect.objectContaining({ trackingNumber: label.trackingNumber }),
    );
    expect(await stateOf(labelId, notice)).toEqual({
      label: 'VOIDED',
      shipment: 'CANCELLED',
      refunds: 2,
      notice: NotificationStatus.CANCELLED,
    });
  });

  it('answers CARRIER_UNAVAILABLE and changes nothing when the carrier refuses or does not answer', async () => {
    const { label, labelId, notice } = await signedLabel('void-carrier-down');
    const gateway = server.carriers;
    const unchanged = {
      label: 'PURCHASED',
      shipment: 'LABEL_CREATED',
      refunds: 0,
      notice: NotificationStatus.PENDING,
    };

    jest.spyOn(gateway, 'void').mockRejectedValueOnce(new Error('carrier down'));
    const refused = await voidLabel(label.id);
    expect(refused.data?.voidLabel.userErrors).toEqual([
      expect.objectContaining({ code: 'CARRIER_UNAVAILABLE', field: ['input', 'labelId'] }),
    ]);
    expect(await stateOf(labelId, notice)).toEqual(unchanged);

    jest.spyOn(gateway, 'void').mockReturnValueOnce(new Promise(() => {}));
    const hung = await voidLabel(label.id);
    expect(hung.data?.voidLabel.userErrors[0]?.code).toBe('CARRIER_UNAVAILABLE');
    expect(await stateOf(labelId, notice)).toEqual(unchanged);

    const retried = await voidLabel(label.id);
    expect(retried.data?.voidLabel.userErrors).toEqual([]);
    expect(await stateOf(labelId, notice)).toEqual({
      label: 'VOIDED',
      shipment: 'CANCELLED',
      refunds: 2,
      notice: NotificationStatus.CANCELLED,
    });
  });
});

/**
 * Carrier event ids share the `(carrier, carrierEventId)` key with the events the product writes
 * itself (label created, label voided). One signed carrier event holding such an id made every
 * void of that label, or the purchase of the label it named, fail with a 500.
 */
describe("carrier event ids and the product's own", () => {
  const m = () => server.db.manager;
  /** The next label ids the database may hand out (sequences skip ids of rolled-back rows). */
  const nextLabelIds = async (n: number) => {
    const [{ max }] = (await m().query('SELECT MAX(id) AS max FROM labels')) as [{ max: number }];
    return Array.from({ length: n }, (_, i) => Number(max) + 1 + i);
  };
  /** A row as a carrier event with `id` would have left it (as one could before the refusal). */
  const storeCarrierEvent = async (shipmentId: number, carrier: string, id: string) =>
    (
      await m().insert(TrackingEvent, {
        shipmentId,
        carrier: carrier as Label['carrier'],
        carrierEventId: id,
        status: 'IN_TRANSIT' as TrackingEvent['status'],
        reason: null,
        description: 'planted',
        location: null,
        occurredAt: new Date(0),
        receivedAt: new Date(),
      })
    ).identifiers[0].id as number;

  it('refuses a signed carrier event with an id of ours with 400 RESERVED_EVENT_ID; void and purchase still work', async () => {
    const { label, labelId } = await signedLabel('namespace-webhook');
    const row = await m().findOneByOrFail(Label, { id: labelId });
    const next = (await nextLabelIds(1))[0];
    for (const eventId of [
      `local:void:${labelId}`,
      `local:label:${next}`,
      `LOCAL:void:${labelId}`,
      `local:label:${labelId}`,
    ]) {
      const res = await postCarrierEvent(
        server,
        row.carrier,
        carrierEvent(row.trackingNumber, { eventId }),
      );
      expect(res).toEqual({ status: 400, body: { error: 'RESERVED_EVENT_ID', field: 'eventId' } });
    }
    expect(
      await m().count(TrackingEvent, { where: { carrierEventId: `local:void:${labelId}` } }),
    ).toBe(0);

    const voided = await voidLabel(label.id);
    expect(voided.errors).toBeUndefined();
    expect(voided.data?.voidLabel.userErrors).toEqual([]);
    // The next label (the id the refused event named) is bought as usual.
    await signedLabel('namespace-webhook-next');
  });

  it('voids and buys past rows a carrier event left in the old namespace before the refusal', async () => {
    const { label, labelId } = await signedLabel('namespace-legacy');
    const shipment = await m().findOneByOrFail(Shipment, { labelId });
    const planted = [
      await storeCarrierEvent(shipment.id, shipment.carrier, `local:void:${labelId}`),
      ...(await Promise.all(
        (await nextLabelIds(20)).map((id) =>
          storeCarrierEvent(shipment.id, shipment.carrier, `local:label:${id}`),
        ),
      )),
    ];
    try {
      const voided = await voidLabel(label.id);
      expect(voided.errors).toBeUndefined();
      expect(voided.data?.voidLabel.userErrors).toEqual([]);
      await signedLabel('namespace-legacy-next');
    } finally {
      await m().delete(TrackingEvent, planted);
    }
  });

  it('answers any other clash on a unique key with WRITE_CONFLICT, not a 500, and changes nothing', async () => {
    const { label, labelId, notice } = await signedLabel('namespace-clash');
    const shipment = await m().findOneByOrFail(Shipment, { labelId });
    // Not reachable through the webhook (a carrier id never has a `#`): planted directly.
    const planted = await storeCarrierEvent(
      shipment.id,
      shipment.carrier,
      internalEventId('void', labelId),
    );
    try {
      const voided = await voidLabel(label.id);
      expect(voided.errors).toBeUndefined();
      expect(voided.data?.voidLabel.userErrors).toEqual([
        expect.objectContaining({ code: 'WRITE_CONFLICT', field: ['input', 'labelId'] }),
      ]);
      expect(await stateOf(labelId, notice)).toEqual({
        label: 'PURCHASED',
        shipment: 'LABEL_CREATED',
        refunds: 0,
        notice: NotificationStatus.PENDING,
      });
    } finally {
      await m().delete(TrackingEvent, planted);
    }
    expect((await voidLabel(label.id)).data?.voidLabel.userErrors).toEqual([]);
  });

  it('answers a purchase that clashes on a unique key with WRITE_CONFLICT; the retry buys it', async () => {
    const shipment = await m().findOneByOrFail(Shipment, {
      labelId: (await signedLabel('namespace-seed')).labelId,
    });
    const planted = await Promise.all(
      (await nextLabelIds(20)).map((id) =>
        storeCarrierEvent(shipment.id, shipment.carrier, internalEventId('label', id)),
      ),
    );
    const labelsBefore = await m().count(Label);
    const chargesBefore = await m().count(Charge);
    const quote = await quoteOrder(server, seller, (await uspsOrder()).id);
    const rate = pickRate(quote, { service: 'USPS_GROUND_ADVANTAGE' });
    const buy = () =>
      purchase(server, seller, {
        quoteId: quote.id,
        rateId: rate.id,
        signatureOption: 'SIGNATURE_REQUIRED',
        idempotencyKey: 'namespace-purchase-clash',
      });
    let failed;
    try {
      failed = await buy();
    } finally {
      await m().delete(TrackingEvent, planted);
    }
    expect(failed.errors).toBeUndefined();
    expect(failed.data?.purchaseLabel.userErrors).toEqual([
      expect.objectContaining({ code: 'WRITE_CONFLICT' }),
    ]);
    expect(await m().count(Label)).toBe(labelsBefore);
    expect(await m().count(Charge)).toBe(chargesBefore);
    // The key was not used up: the same request buys the label now.
    const retried = await buy();
    expect(retried.data?.purchaseLabel.userErrors).toEqual([]);
    expect(retried.data?.purchaseLabel.label).not.toBeNull();
  });
});
