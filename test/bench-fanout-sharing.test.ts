import { ShipmentWithOrderDocument } from './generated/operations';
import type { ShipmentWithOrderSubscription } from './generated/operations';
import { carrierEvent, postCarrierEvent } from './support/carrier';
import { createShipment } from './support/shipments';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';
import { subscribe, wsClient } from './support/ws-client';
import { waitFor } from './support/wait';
import type { LiveSubscription } from './support/ws-client';

/**
 * The fan-out optimisation (src/graphql/shared-subscribe.ts) executes an event once per
 * audience and sends the same serialized payload to every subscriber of that audience. These
 * tests pin down that sharing never crosses viewers who may see different things.
 */

type Update = ShipmentWithOrderSubscription;
const SHIPMENT_WITH_ORDER = ShipmentWithOrderDocument;

let server: TestServer;
const open: Array<LiveSubscription<Update>> = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(() => server.stop());

function live(token: string, shipmentId: string) {
  const sub = subscribe(wsClient(server, token), SHIPMENT_WITH_ORDER, { shipmentId });
  open.push(sub);
  return sub;
}

describe('one carrier event to many subscribers of a shipment', () => {
  it("gives the seller's sockets the order's risk and label, and the buyer's socket neither", async () => {
    const s = await createShipment(server);
    const sellerA = live(s.sellerToken, s.shipmentGid);
    const sellerB = live(s.sellerToken, s.shipmentGid);
    const buyer = live(s.buyerToken, s.shipmentGid);
    await waitFor(
      'three listeners on the shipment',
      () => server.listeners('shipment:changed', s.shipment.id) >= 3,
    );
    const posted = await postCarrierEvent(
      server,
      'USPS',
      carrierEvent(s.trackingNumber, { status: 'IN_TRANSIT', description: 'Departed facility' }),
    );
    expect(posted.status).toBe(200);

    const [a, b, mine] = await Promise.all([sellerA.next(), sellerB.next(), buyer.next()]);
    for (const result of [a, b, mine]) {
      expect(result.errors).toBeUndefined();
      expect(result.data?.shipmentUpdated.event?.description).toBe('Departed facility');
      expect(result.data?.shipmentUpdated.shipment.status).toBe('IN_TRANSIT');
    }
    expect(a.data?.shipmentUpdated.shipment.order.label?.trackingNumber).toBe(s.trackingNumber);
    expect(a.data?.shipmentUpdated.shipment.order.riskAssessment?.level).toEqual(
      expect.any(String),
    );
    expect(b.data).toEqual(a.data);
    expect(mine.data?.shipmentUpdated.shipment.order).toEqual({
      riskAssessment: null,
      label: null,
    });
  });

  it('sends every subscriber each later event too, in order', async () => {
    const s = await createShipment(server);
    const subs = [live(s.sellerToken, s.shipmentGid), live(s.buyerToken, s.shipmentGid)];
    await waitFor(
      'two listeners on the shipment',
      () => server.listeners('shipment:changed', s.shipment.id) >= 2,
    );
    for (const description of ['Arrived at hub', 'Departed hub']) {
      await postCarrierEvent(
        server,
        'USPS',
        carrierEvent(s.trackingNumber, { status: 'IN_TRANSIT', description }),
      );
    }
    for (const sub of subs) {
      const first = await sub.next();
      const second = await sub.next();
      expect(first.data?.shipmentUpdated.event?.description).toBe('Arrived at hub');
      expect(second.data?.shipmentUpdated.event?.description).toBe('Departed hub');
    }
  });
});
