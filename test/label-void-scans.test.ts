import { Charge, Label, Notification, Shipment } from '../src/entities';
import { ChargeKind, NotificationKind, NotificationStatus } from '../src/entities/enums';
import { fromGlobalId } from '../src/core/global-id';
import { OutboxWorker } from '../src/workers/outbox-worker';
import { VoidLabelFullDocument } from './generated/operations';
import { carrierEvent, postCarrierEvent } from './support/carrier';
import { buyLabel, pickOrder } from './support/labels';
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

const used = new Set<string>();

/** A label with Signature Confirmation on an unused order of the first seller. */
async function signedLabel() {
  const order = await pickOrder(server, seller, { taken: used });
  const bought = await buyLabel(server, seller, {
    orderId: order.id,
    signatureOption: 'SIGNATURE_REQUIRED',
  });
  const labelId = fromGlobalId(bought.label.id, 'Label');
  const orderId = fromGlobalId(order.id, 'Order');
  const row = await server.db.manager.findOneByOrFail(Label, { id: labelId });
  return { ...bought, labelId, orderId, row };
}

const voidLabel = (labelGid: string) =>
  server.gql(VoidLabelFullDocument, { input: { labelId: labelGid } }, seller);

describe('voiding after a carrier scan', () => {
  it('refuses the void when a DELIVERED event is stamped two seconds before the label', async () => {
    const { label, labelId, row } = await signedLabel();
    const stamped = new Date(row.createdAt.getTime() - 2_000).toISOString();
    const posted = await postCarrierEvent(
      server,
      row.carrier,
      carrierEvent(row.trackingNumber, {
        status: 'DELIVERED',
        description: 'Delivered, front desk',
        occurredAt: stamped,
      }),
    );
    expect(posted.status).toBe(200);
    // Older than the label, so the status machine keeps the shipment where it was…
    const m = server.db.manager;
    expect((await m.findOneByOrFail(Shipment, { labelId })).status).toBe('LABEL_CREATED');

    // …but the carrier has the parcel: no void, no refund.
    const res = await voidLabel(label.id);
    expect(res.data?.voidLabel.userErrors).toEqual([
      expect.objectContaining({ code: 'LABEL_NOT_VOIDABLE', field: ['input', 'labelId'] }),
    ]);
    expect((await m.findOneByOrFail(Label, { id: labelId })).status).toBe('PURCHASED');
    expect(await m.count(Charge, { where: { labelId, kind: ChargeKind.REFUND } })).toBe(0);
  });

  it('still voids a label with only its own events', async () => {
    const { label } = await signedLabel();
    const res = await voidLabel(label.id);
    expect(res.data?.voidLabel.userErrors).toEqual([]);
    expect(res.data?.voidLabel.label?.status).toBe('VOIDED');
  });
});

describe('telling the buyer about a void', () => {
  it('sends LABEL_VOIDED after a signature notice that was already sent', async () => {
    const { label, orderId } = await signedLabel();
    const m = server.db.manager;
    await new OutboxWorker(server.db, server.logger).runOnce();
    const told = await m.findOneByOrFail(Notification, {
      orderId,
      kind: NotificationKind.SIGNATURE_REQUIRED,
    });
    expect(told.status).toBe(NotificationStatus.SENT);

    const res = await voidLabel(label.id);
    expect(res.data?.voidLabel.userErrors).toEqual([]);
    const notice = await m.findOneByOrFail(Notification, {
      orderId,
      kind: NotificationKind.LABEL_VOIDED,
    });
    expect(notice).toMatchObject({
      buyerId: told.buyerId,
      shipmentId: told.shipmentId,
      status: NotificationStatus.PENDING,
    });
    expect(notice.body).toMatch(/no longer applies/);
    await new OutboxWorker(server.db, server.logger).runOnce();
    expect((await m.findOneByOrFail(Notification, { id: notice.id })).status).toBe(
      NotificationStatus.SENT,
    );
  });

  it('sends nothing when the signature notice had not gone out (it is cancelled instead)', async () => {
    const { label, orderId } = await signedLabel();
    const res = await voidLabel(label.id);
    expect(res.data?.voidLabel.userErrors).toEqual([]);
    const m = server.db.manager;
    expect(
      await m.count(Notification, { where: { orderId, kind: NotificationKind.LABEL_VOIDED } }),
    ).toBe(0);
    expect(
      (
        await m.findOneByOrFail(Notification, {
          orderId,
          kind: NotificationKind.SIGNATURE_REQUIRED,
        })
      ).status,
    ).toBe(NotificationStatus.CANCELLED);
  });
});
