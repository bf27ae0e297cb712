import { Buyer, NotificationDelivery, Order } from '../src/entities';
import { simulate } from '../src/cli/simulate';
import { parseGlobalId } from '../src/core/global-id';
import { OutboxWorker } from '../src/workers/outbox-worker';
import {
  NotificationsDocument,
  RiskOrdersDocument,
  ShipmentByTrackingNumberDocument,
  ShipmentUpdatedDocument,
  VerifyDeliveryProofFullDocument,
} from './generated/operations';
import { DEV_SECRETS } from './support/carrier';
import { acceptCurrentTerms } from './support/seller-flow';
import { buyLabel } from './support/labels';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';
import { subscribe, wsClient } from './support/ws-client';
import { waitFor } from './support/wait';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** The README's "Tracking walkthrough", end to end through the real label flow. */
it('follows a high-risk order live from label purchase to a signed, verified delivery', async () => {
  const seller = server.tokens.seller[0];
  const high = await server.gql(
    RiskOrdersDocument,
    { first: 50, filter: { status: 'AWAITING_SHIPMENT', riskLevel: 'HIGH' } },
    seller,
  );
  const orderGid = high.data?.orders.edges.find(
    (e) => e.node.riskAssessment?.recommendedSignature === 'SIGNATURE_REQUIRED',
  )?.node.id as string;
  expect(orderGid).toBeDefined();
  const m = server.db.manager;
  const order = await m.findOneByOrFail(Order, { id: parseGlobalId(orderGid)?.id });
  const buyerIds = (await m.find(Buyer, { order: { id: 'ASC' } })).map((b) => b.id);
  const buyer = server.tokens.buyer[buyerIds.indexOf(order.buyerId)];

  // The buyer follows the order before the label exists.
  const live = subscribe(wsClient(server, buyer), ShipmentUpdatedDocument, { orderId: orderGid });
  try {
    await waitFor('the buyer', () => server.listeners('seller:shipments', order.sellerId) > 0);

    // The seller buys a label with Signature Required.
    await acceptCurrentTerms(server, seller);
    const { label } = await buyLabel(server, seller, {
      orderId: orderGid,
      signatureOption: 'SIGNATURE_REQUIRED',
      idempotencyKey: 'walkthrough-test',
    });
    const trackingNumber = label.trackingNumber;

    const created = (await live.next()).data?.shipmentUpdated;
    expect(created?.changes).toContain('CREATED');
    expect(created?.shipment).toMatchObject({
      trackingNumber,
      status: 'LABEL_CREATED',
      signatureRequirementText: 'Signature Required',
    });

    // The carrier simulator drives it; every step reaches the buyer live.
    const report = await simulate({
      baseUrl: server.url.replace(/\/graphql$/, ''),
      token: server.tokens.admin,
      trackingNumbers: [trackingNumber],
      delayMs: 0,
      secrets: { UPS: [DEV_SECRETS.UPS], USPS: [DEV_SECRETS.USPS] },
    });
    expect(report.refused).toEqual([]);
    const pushed: string[] = [];
    for (let i = 0; i < report.posted; i += 1) {
      const update = (await live.next()).data?.shipmentUpdated;
      pushed.push(
        [update?.shipment.status, update?.shipment.statusReason].filter(Boolean).join(':'),
      );
    }
    expect(pushed).toEqual([
      'IN_TRANSIT',
      'IN_TRANSIT',
      'OUT_FOR_DELIVERY',
      'DELIVERY_ATTEMPTED:SIGNATURE_UNAVAILABLE',
      'OUT_FOR_DELIVERY',
      'DELIVERED',
    ]);

    // The outbox delivers the buyer's three notifications, once each.
    await new OutboxWorker(server.db, server.logger).runOnce();
    const notes = await server.gql(NotificationsDocument, { first: 10 }, buyer);
    const mine = notes.data?.notifications.edges
      .map((e) => e.node)
      .filter((n) => n.order.id === orderGid);
    expect(mine?.map((n) => [n.kind, n.status])).toEqual([
      ['DELIVERED_SIGNED', 'SENT'],
      ['DELIVERY_ATTEMPT_SIGNATURE_UNAVAILABLE', 'SENT'],
      ['SIGNATURE_REQUIRED', 'SENT'],
    ]);
    expect(await m.count(NotificationDelivery)).toBe(3);

    // The seller sees the signature and confirms it; the buyer sees who signed, not the image.
    const proof = (await server.gql(ShipmentByTrackingNumberDocument, { trackingNumber }, seller))
      .data?.shipment?.deliveryProof;
    expect(proof).toMatchObject({ signed: true, flagged: false });
    expect(proof?.signatureImage).toMatch(/^data:image\//);
    const buyerView = (
      await server.gql(ShipmentByTrackingNumberDocument, { trackingNumber }, buyer)
    ).data?.shipment?.deliveryProof;
    expect(buyerView).toMatchObject({
      signed: true,
      signerName: proof?.signerName,
      signatureImage: null,
    });
    const verified = await server.gql(
      VerifyDeliveryProofFullDocument,
      {
        input: {
          proofId: proof?.id as string,
          verdict: 'CONFIRMED',
          note: 'Signer is the recipient',
        },
      },
      seller,
    );
    expect(verified.data?.verifyDeliveryProof).toMatchObject({
      proof: { verdict: 'CONFIRMED' },
      userErrors: [],
    });
  } finally {
    await live.close();
  }
});
