import { SignatureOption } from '../src/entities/enums';
import {
  OrderShipmentDocument,
  ShipmentByTrackingNumberDocument,
  ShipmentNodeDocument,
} from './generated/operations';
import { carrierEvent, minutesFromNow, postCarrierEvent } from './support/carrier';
import { createShipment, otherBuyerToken } from './support/shipments';
import type { ShipmentFixture } from './support/shipments';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;
let s: ShipmentFixture;

beforeAll(async () => {
  server = await startTestServer();
  s = await createShipment(server, { signature: SignatureOption.ADULT_SIGNATURE_REQUIRED });
  await postCarrierEvent(
    server,
    'USPS',
    carrierEvent(s.trackingNumber, {
      status: 'IN_TRANSIT',
      occurredAt: minutesFromNow(-10),
      estimatedDeliveryAt: '2030-01-02T18:00:00.000Z',
    }),
  );
});
afterAll(() => server.stop());

const byTracking = (token: string | null) =>
  server.gql(ShipmentByTrackingNumberDocument, { trackingNumber: s.trackingNumber }, token);

describe('shipment(trackingNumber)', () => {
  it("shows the buyer their parcel's status, requirement and events", async () => {
    const res = await byTracking(s.buyerToken);
    expect(res.errors).toBeUndefined();
    expect(res.data?.shipment).toMatchObject({
      id: s.shipmentGid,
      trackingNumber: s.trackingNumber,
      status: 'IN_TRANSIT',
      signatureRequirement: 'ADULT_SIGNATURE_REQUIRED',
      signatureRequirementText: 'Adult Signature Required (21+)',
      estimatedDeliveryAt: '2030-01-02T18:00:00.000Z',
      order: { id: s.orderGid, status: 'IN_TRANSIT' },
    });
  });

  it('shows the signature requirement on every event', async () => {
    const events = (await byTracking(s.sellerToken)).data?.shipment?.events ?? [];
    expect(events.map((e) => e.status)).toEqual(['LABEL_CREATED', 'IN_TRANSIT']);
    expect(
      events.every((e) => e.signatureRequirementText === 'Adult Signature Required (21+)'),
    ).toBe(true);
  });

  it('shows the seller its shipment', async () => {
    expect((await byTracking(s.sellerToken)).data?.shipment?.id).toBe(s.shipmentGid);
  });

  it('reads as null for another buyer and another seller', async () => {
    const otherBuyer = await byTracking(otherBuyerToken(server, s.buyerToken));
    expect(otherBuyer.errors).toBeUndefined();
    expect(otherBuyer.data?.shipment).toBeNull();
    const otherSeller = await byTracking(server.tokens.seller[1]);
    expect(otherSeller.data?.shipment).toBeNull();
  });

  it('refuses a caller without a token', async () => {
    const res = await byTracking(null);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('reads as null for a tracking number nobody has', async () => {
    const res = await server.gql(
      ShipmentByTrackingNumberDocument,
      { trackingNumber: 'NOPE' },
      server.tokens.admin,
    );
    expect(res.data?.shipment).toBeNull();
  });
});

describe('order.shipment and node(id)', () => {
  it('shows the shipment on the order, with the requirement on each event', async () => {
    const res = await server.gql(OrderShipmentDocument, { id: s.orderGid }, s.buyerToken);
    expect(res.data?.order?.shipment).toMatchObject({
      id: s.shipmentGid,
      status: 'IN_TRANSIT',
      signatureRequirementText: 'Adult Signature Required (21+)',
    });
    expect(res.data?.order?.shipment?.events).toHaveLength(2);
  });

  it('fetches the shipment by global id for its owners only', async () => {
    const own = await server.gql(ShipmentNodeDocument, { id: s.shipmentGid }, s.buyerToken);
    expect(own.data?.node).toMatchObject({
      __typename: 'Shipment',
      trackingNumber: s.trackingNumber,
    });
    const theirs = await server.gql(
      ShipmentNodeDocument,
      { id: s.shipmentGid },
      otherBuyerToken(server, s.buyerToken),
    );
    expect(theirs.data?.node).toBeNull();
  });
});
