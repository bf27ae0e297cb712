import { DeliveryProof, Notification, Shipment, TrackingEvent } from '../src/entities';
import {
  Carrier,
  NotificationChannel,
  NotificationKind,
  NotificationStatus,
  OrderStatus,
  ShipmentStatus,
  SignatureOption,
} from '../src/entities/enums';
import { signatureHeader } from '../src/webhooks/signature';
import { OrderShipmentDocument, ShipmentByTrackingNumberDocument } from './generated/operations';
import {
  carrierEvent,
  minutesFromNow,
  postCarrierEvent,
  pngSignature,
  webhookUrl,
} from './support/carrier';
import { createShipment } from './support/shipments';
import type { ShipmentFixture } from './support/shipments';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;

beforeAll(async () => {
  // USPS mid-rotation: the new secret and the previous one are both accepted.
  server = await startTestServer({
    CARRIER_SECRET_USPS: 'usps-new-secret',
    CARRIER_SECRET_USPS_PREVIOUS: 'usps-old-secret',
  });
});
afterAll(() => server.stop());

const trackingOf = (tn: string, token: string) =>
  server.gql(ShipmentByTrackingNumberDocument, { trackingNumber: tn }, token);

describe('carrier webhook signatures', () => {
  it('applies an event signed with the carrier secret and answers 200', async () => {
    const s = await createShipment(server, { carrier: Carrier.UPS });
    const res = await postCarrierEvent(server, 'ups', carrierEvent(s.trackingNumber));
    expect(res).toEqual({
      status: 200,
      body: { received: true, duplicate: false, applied: true, status: 'IN_TRANSIT' },
    });
    const shipment = (await trackingOf(s.trackingNumber, s.sellerToken)).data?.shipment;
    expect(shipment?.status).toBe('IN_TRANSIT');
    expect(shipment?.events.map((e) => e.description)).toContain('Arrived at facility');
  });

  it('refuses a wrong signature with 401 and changes nothing', async () => {
    const s = await createShipment(server);
    const res = await postCarrierEvent(server, 'USPS', carrierEvent(s.trackingNumber), {
      secret: 'not-the-secret',
    });
    expect(res).toEqual({ status: 401, body: { error: 'INVALID_SIGNATURE' } });
    expect((await trackingOf(s.trackingNumber, s.sellerToken)).data?.shipment?.status).toBe(
      'LABEL_CREATED',
    );
  });

  it('refuses a missing or malformed signature header with 400', async () => {
    const s = await createShipment(server);
    const body = carrierEvent(s.trackingNumber);
    for (const header of [null, 'garbage', 't=123', `v1=${'a'.repeat(64)}`]) {
      const res = await postCarrierEvent(server, 'USPS', body, { header });
      expect(res).toEqual({ status: 400, body: { error: 'INVALID_SIGNATURE_HEADER' } });
    }
  });

  it('refuses a timestamp older than five minutes with 401', async () => {
    const s = await createShipment(server);
    const res = await postCarrierEvent(server, 'USPS', carrierEvent(s.trackingNumber), {
      secret: 'usps-new-secret',
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    expect(res).toEqual({ status: 401, body: { error: 'INVALID_SIGNATURE' } });
  });

  it('accepts both the new and the previous secret during a rotation, and no other', async () => {
    const s = await createShipment(server);
    const a = await postCarrierEvent(server, 'USPS', carrierEvent(s.trackingNumber), {
      secret: 'usps-new-secret',
    });
    const b = await postCarrierEvent(server, 'USPS', carrierEvent(s.trackingNumber), {
      secret: 'usps-old-secret',
    });
    const c = await postCarrierEvent(server, 'USPS', carrierEvent(s.trackingNumber), {
      secret: 'dev-usps-webhook-secret',
    });
    expect([a.status, b.status, c.status]).toEqual([200, 200, 401]);
  });

  it('refuses a body re-serialized after it was signed', async () => {
    const s = await createShipment(server);
    const body = carrierEvent(s.trackingNumber);
    const signed = JSON.stringify(body, null, 2);
    const res = await postCarrierEvent(server, 'USPS', signed, {
      secret: 'usps-new-secret',
      sendRaw: JSON.stringify(JSON.parse(signed)),
    });
    expect(res.status).toBe(401);
  });
});

describe('carrier webhook routing and validation', () => {
  it('answers 404 for an unknown carrier', async () => {
    const res = await postCarrierEvent(server, 'fedex', carrierEvent('123'));
    expect(res).toEqual({ status: 404, body: { error: 'UNKNOWN_CARRIER' } });
  });

  it('answers 404 for a tracking number it does not know, or of another carrier', async () => {
    const unknown = await postCarrierEvent(server, 'UPS', carrierEvent('1ZNOSUCHPARCEL0000'));
    expect(unknown).toEqual({ status: 404, body: { error: 'UNKNOWN_TRACKING_NUMBER' } });
    const usps = await createShipment(server);
    const wrongCarrier = await postCarrierEvent(server, 'UPS', carrierEvent(usps.trackingNumber));
    expect(wrongCarrier.status).toBe(404);
  });

  it.each([
    ['status', { status: 'TELEPORTED' }],
    ['status', { status: 'CANCELLED' }],
    ['occurredAt', { occurredAt: 'yesterday' }],
    ['occurredAt', { occurredAt: minutesFromNow(24 * 60) }],
    ['eventId', { eventId: '' }],
    ['reason', { reason: 'nobody home' }],
    ['signature', { signature: { signerName: 'A' } }],
    [
      'signature.imageDataUrl',
      {
        status: 'DELIVERED',
        signature: {
          signerName: 'A',
          imageDataUrl: 'data:text/html;base64,PGgxPg==',
          signedAt: minutesFromNow(0),
          location: 'Door',
        },
      },
    ],
  ])('answers 400 naming the bad field %s', async (field, override) => {
    const s = await createShipment(server, { carrier: Carrier.UPS });
    const res = await postCarrierEvent(server, 'UPS', carrierEvent(s.trackingNumber, override));
    expect(res).toEqual({ status: 400, body: { error: 'INVALID_FIELD', field } });
  });

  it('answers 400 for a body that is not a JSON object', async () => {
    for (const raw of ['not json', '[]', '"text"']) {
      const res = await postCarrierEvent(server, 'UPS', raw);
      expect(res).toEqual({ status: 400, body: { error: 'INVALID_JSON' } });
    }
  });

  it('answers 413 for a body over 256 kB, without detail', async () => {
    const raw = JSON.stringify({ padding: 'x'.repeat(300 * 1024) });
    const res = await fetch(webhookUrl(server, 'UPS'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'countersign-signature': signatureHeader('dev-ups-webhook-secret', raw),
      },
      body: raw,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('carrier event processing', () => {
  it('processes the same event twice only once', async () => {
    const s = await createShipment(server, { carrier: Carrier.UPS });
    const event = carrierEvent(s.trackingNumber, {
      status: 'DELIVERY_ATTEMPTED',
      reason: 'SIGNATURE_UNAVAILABLE',
    });
    const first = await postCarrierEvent(server, 'UPS', event);
    const second = await postCarrierEvent(server, 'UPS', event);
    expect(first.body.duplicate).toBe(false);
    expect(second).toEqual({ status: 200, body: { received: true, duplicate: true } });
    const m = server.db.manager;
    expect(
      await m.count(TrackingEvent, { where: { carrierEventId: event.eventId as string } }),
    ).toBe(1);
    const attempts = await m.count(Notification, {
      where: {
        shipmentId: s.shipment.id,
        kind: NotificationKind.DELIVERY_ATTEMPT_SIGNATURE_UNAVAILABLE,
      },
    });
    expect(attempts).toBe(1);
  });

  it('orders events by carrier time: a late in-transit scan never moves a delivered parcel back', async () => {
    const s = await createShipment(server, {
      carrier: Carrier.UPS,
      signature: SignatureOption.NONE,
    });
    const delivered = await postCarrierEvent(
      server,
      'UPS',
      carrierEvent(s.trackingNumber, { status: 'DELIVERED', occurredAt: minutesFromNow(-5) }),
    );
    const late = await postCarrierEvent(
      server,
      'UPS',
      carrierEvent(s.trackingNumber, { status: 'IN_TRANSIT', occurredAt: minutesFromNow(-20) }),
    );
    expect(delivered.body).toMatchObject({ applied: true, status: 'DELIVERED' });
    expect(late.body).toMatchObject({ applied: false, status: 'DELIVERED' });
    const shipment = (await trackingOf(s.trackingNumber, s.buyerToken)).data?.shipment;
    expect(shipment?.status).toBe('DELIVERED');
    // Kept in history, in carrier-time order.
    expect(shipment?.events.map((e) => e.status)).toEqual([
      'LABEL_CREATED',
      'IN_TRANSIT',
      'DELIVERED',
    ]);
  });

  it('keeps an older out-of-order event in history without changing the status', async () => {
    const s = await createShipment(server, { carrier: Carrier.UPS });
    await postCarrierEvent(
      server,
      'UPS',
      carrierEvent(s.trackingNumber, {
        status: 'OUT_FOR_DELIVERY',
        occurredAt: minutesFromNow(-5),
      }),
    );
    const older = await postCarrierEvent(
      server,
      'UPS',
      carrierEvent(s.trackingNumber, { status: 'IN_TRANSIT', occurredAt: minutesFromNow(-30) }),
    );
    expect(older.body).toMatchObject({ applied: false, status: 'OUT_FOR_DELIVERY' });
  });

  it('moves the order along with its shipment', async () => {
    const s = await createShipment(server, {
      carrier: Carrier.UPS,
      signature: SignatureOption.NONE,
    });
    const orderStatus = async () =>
      (await server.gql(OrderShipmentDocument, { id: s.orderGid }, s.sellerToken)).data?.order
        ?.status;
    expect(await orderStatus()).toBe(OrderStatus.LABEL_PURCHASED);
    await postCarrierEvent(
      server,
      'UPS',
      carrierEvent(s.trackingNumber, { occurredAt: minutesFromNow(-3) }),
    );
    expect(await orderStatus()).toBe(OrderStatus.IN_TRANSIT);
    await postCarrierEvent(
      server,
      'UPS',
      carrierEvent(s.trackingNumber, { status: 'DELIVERED', occurredAt: minutesFromNow(-1) }),
    );
    expect(await orderStatus()).toBe(OrderStatus.DELIVERED);
  });
});

describe('a carrier event that cannot be stored', () => {
  /** Rows the delivery would write, put there first so that writing them conflicts. */
  const conflicts: Array<[string, (s: ShipmentFixture) => Promise<unknown>]> = [
    [
      "the buyer's delivered-and-signed notification",
      (s) =>
        server.db.transaction(({ manager }) =>
          manager.insert(Notification, {
            buyerId: s.buyer.id,
            orderId: s.order.id,
            shipmentId: s.shipment.id,
            kind: NotificationKind.DELIVERED_SIGNED,
            channel: NotificationChannel.EMAIL,
            dedupeKey: `${NotificationKind.DELIVERED_SIGNED}:shipment:${s.shipment.id}`,
            subject: 'conflicting row',
            body: 'conflicting row',
            status: NotificationStatus.SENT,
            attempts: 1,
            claimedBy: null,
            claimedUntil: null,
            sentAt: new Date(),
            lastError: null,
            createdAt: new Date(),
          }),
        ),
    ],
    [
      'the delivery proof',
      (s) =>
        server.db.transaction(({ manager }) =>
          manager.insert(DeliveryProof, {
            shipmentId: s.shipment.id,
            orderId: s.order.id,
            sellerId: s.shipment.sellerId,
            signerName: null,
            signedAt: null,
            signatureImage: null,
            location: null,
            adultIdVerified: null,
            checks: [],
            flagged: false,
            verdict: null,
            verdictNote: null,
            verifiedByTokenId: null,
            verifiedAt: null,
            createdAt: new Date(),
          }),
        ),
    ],
  ];

  it.each(conflicts)(
    'answers 500 when %s conflicts, records nothing, and applies the retry',
    async (_what, conflict) => {
      const s = await createShipment(server, { carrier: Carrier.UPS });
      await conflict(s);
      const delivered = carrierEvent(s.trackingNumber, {
        status: 'DELIVERED',
        occurredAt: minutesFromNow(-1),
        signature: {
          signerName: s.shipTo.name,
          imageDataUrl: pngSignature(s.shipTo.name),
          signedAt: minutesFromNow(-1),
          location: 'Front door',
        },
      });
      // Not "duplicate": a 2xx would tell the carrier never to send this event again.
      const refused = await postCarrierEvent(server, 'UPS', delivered);
      expect(refused).toEqual({ status: 500, body: { error: 'INTERNAL' } });
      const m = server.db.manager;
      const eventId = delivered.eventId as string;
      expect(await m.count(TrackingEvent, { where: { carrierEventId: eventId } })).toBe(0);
      expect((await m.findOneByOrFail(Shipment, { id: s.shipment.id })).status).toBe(
        ShipmentStatus.LABEL_CREATED,
      );

      // Once the conflict is gone, the carrier's retry of the same event goes through.
      await server.db.transaction(async ({ manager }) => {
        await manager.delete(Notification, {
          shipmentId: s.shipment.id,
          subject: 'conflicting row',
        });
        await manager.delete(DeliveryProof, { shipmentId: s.shipment.id });
      });
      const retried = await postCarrierEvent(server, 'UPS', delivered);
      expect(retried.body).toMatchObject({ duplicate: false, applied: true, status: 'DELIVERED' });
    },
  );
});
