import { Notification } from '../src/entities';
import { Carrier, NotificationKind, ShipmentStatus, SignatureOption } from '../src/entities/enums';
import { parseArgs, remainingSteps, simulate } from '../src/cli/simulate';
import { isSignatureImage } from '../src/services/tracking/signature-image';
import { signatureImage } from '../src/cli/simulate';
import { ShipmentByTrackingNumberDocument } from './generated/operations';
import { DEV_SECRETS } from './support/carrier';
import { createShipment } from './support/shipments';
import type { ShipmentFixture } from './support/shipments';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const baseUrl = () => server.url.replace(/\/graphql$/, '');
const run = (trackingNumbers?: string[]) =>
  simulate({
    baseUrl: baseUrl(),
    token: server.tokens.admin,
    trackingNumbers,
    delayMs: 0,
    secrets: { UPS: [DEV_SECRETS.UPS], USPS: [DEV_SECRETS.USPS] },
  });

const tracking = async (s: ShipmentFixture) =>
  (
    await server.gql(
      ShipmentByTrackingNumberDocument,
      { trackingNumber: s.trackingNumber },
      s.sellerToken,
    )
  ).data?.shipment;

describe('carrier simulator', () => {
  it('drives one shipment through a failed attempt for want of a signature to a signed delivery', async () => {
    const s = await createShipment(server, { signature: SignatureOption.SIGNATURE_REQUIRED });
    const untouched = await createShipment(server);
    const report = await run([s.trackingNumber]);
    expect(report).toMatchObject({ shipments: 1, posted: 6, refused: [] });

    const shipment = await tracking(s);
    expect(shipment?.status).toBe('DELIVERED');
    expect(shipment?.events.map((e) => [e.status, e.reason])).toEqual([
      ['LABEL_CREATED', null],
      ['IN_TRANSIT', null],
      ['IN_TRANSIT', null],
      ['OUT_FOR_DELIVERY', null],
      ['DELIVERY_ATTEMPTED', 'SIGNATURE_UNAVAILABLE'],
      ['OUT_FOR_DELIVERY', null],
      ['DELIVERED', null],
    ]);
    expect(shipment?.deliveryProof).toMatchObject({
      signed: true,
      signerName: s.shipTo.name,
      flagged: false,
    });
    expect(shipment?.deliveryProof?.signatureImage).toMatch(/^data:image\/png;base64,/);
    const kinds = await server.db.manager.find(Notification, {
      where: { shipmentId: s.shipment.id },
    });
    // The label purchase's own, then one per step that tells the buyer something.
    expect(kinds.map((n) => n.kind).sort()).toEqual([
      NotificationKind.DELIVERED_SIGNED,
      NotificationKind.DELIVERY_ATTEMPT_SIGNATURE_UNAVAILABLE,
      NotificationKind.SIGNATURE_REQUIRED,
    ]);
    expect((await tracking(untouched))?.status).toBe('LABEL_CREATED');
  });

  it('drives every shipment in flight, reporting adult ID where adult signature was bought', async () => {
    const adult = await createShipment(server, {
      signature: SignatureOption.ADULT_SIGNATURE_REQUIRED,
    });
    const plain = await createShipment(server, { signature: SignatureOption.NONE, seller: 1 });
    const report = await run();
    expect(report.refused).toEqual([]);
    expect(report.shipments).toBeGreaterThanOrEqual(2);

    const adultShipment = await tracking(adult);
    expect(adultShipment?.status).toBe('DELIVERED');
    expect(adultShipment?.deliveryProof).toMatchObject({ adultIdVerified: true, flagged: false });
    expect(adultShipment?.deliveryProof?.checks.every((c) => c.passed)).toBe(true);

    const plainShipment = await tracking(plain);
    expect(plainShipment?.status).toBe('DELIVERED');
    expect(plainShipment?.events.some((e) => e.status === 'DELIVERY_ATTEMPTED')).toBe(false);
    expect(plainShipment?.deliveryProof).toBeNull();
    // Nothing is left in flight.
    expect((await run()).shipments).toBe(0);
  });

  it('continues a shipment from where it is', () => {
    const steps = remainingSteps(
      {
        trackingNumber: 'X',
        carrier: Carrier.USPS,
        status: ShipmentStatus.OUT_FOR_DELIVERY,
        signatureRequirement: SignatureOption.SIGNATURE_REQUIRED,
        recipientName: 'A',
      },
      'Town',
    ).map((s) => s.status);
    expect(steps).toEqual(['DELIVERY_ATTEMPTED', 'OUT_FOR_DELIVERY', 'DELIVERED']);
  });

  it('generates a signature image the webhook accepts', () => {
    expect(isSignatureImage(signatureImage("Ana O'Neil <script>"))).toBe(true);
  });

  it('needs --all or --tracking, and reads the URL and delay', () => {
    expect(() => parseArgs([], {})).toThrow(/--all/);
    expect(() => parseArgs(['--all', '--tracking', '1'], {})).toThrow(/--all/);
    expect(
      parseArgs(['--tracking', '94001', '--url', 'http://h:1/graphql', '--delay-ms', '10'], {}),
    ).toMatchObject({
      trackingNumbers: ['94001'],
      baseUrl: 'http://h:1',
      delayMs: 10,
    });
  });
});
