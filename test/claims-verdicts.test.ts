import { CarrierInquiry } from '../src/entities';
import {
  CarrierInquiriesDocument,
  ShipmentInquiryDocument,
  VerifyProofWithHistoryDocument,
} from './generated/operations';
import { carrierEvent, postCarrierEvent, pngSignature } from './support/carrier';
import { createShipment } from './support/shipments';
import type { ShipmentFixture } from './support/shipments';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function deliveredProof(): Promise<{ s: ShipmentFixture; proofId: string }> {
  const s = await createShipment(server);
  const signer = s.shipTo.name;
  const res = await postCarrierEvent(
    server,
    s.shipment.carrier,
    carrierEvent(s.trackingNumber, {
      status: 'DELIVERED',
      signature: {
        signerName: signer,
        imageDataUrl: pngSignature(signer),
        signedAt: new Date().toISOString(),
        location: 'Front door',
      },
    }),
  );
  expect(res.status).toBe(200);
  const view = await server.gql(
    ShipmentInquiryDocument,
    { trackingNumber: s.trackingNumber },
    s.sellerToken,
  );
  return { s, proofId: view.data!.shipment!.deliveryProof!.id };
}

const verify = (
  s: ShipmentFixture,
  proofId: string,
  verdict: 'CONFIRMED' | 'DISPUTED',
  note?: string,
) =>
  server.gql(VerifyProofWithHistoryDocument, { input: { proofId, verdict, note } }, s.sellerToken);

describe('verdict history', () => {
  it('keeps every verdict; the latest is the current one', async () => {
    const { s, proofId } = await deliveredProof();
    await verify(s, proofId, 'CONFIRMED', 'Looks like her signature.');
    const second = await verify(s, proofId, 'DISPUTED', 'The buyer says she was away.');
    const proof = second.data!.verifyDeliveryProof.proof!;
    expect(proof.verdict).toBe('DISPUTED');
    expect(proof.verdictNote).toBe('The buyer says she was away.');
    expect(proof.verdicts.map((v) => [v.verdict, v.note])).toEqual([
      ['CONFIRMED', 'Looks like her signature.'],
      ['DISPUTED', 'The buyer says she was away.'],
    ]);
  });

  it('opens one carrier inquiry on a DISPUTED verdict, shown to staff and the seller only', async () => {
    const { s, proofId } = await deliveredProof();
    await verify(s, proofId, 'DISPUTED', 'Not the recipient.');
    await verify(s, proofId, 'DISPUTED', 'Still not the recipient.');
    expect(await server.db.manager.countBy(CarrierInquiry, { shipmentId: s.shipment.id })).toBe(1);

    const staff = await server.gql(
      CarrierInquiriesDocument,
      { status: 'OPEN' },
      server.tokens.admin,
    );
    expect(staff.data!.carrierInquiries.edges.map((e) => e.node.reason)).toContain(
      'The seller disputed the delivery proof: Not the recipient.',
    );
    const seller = await server.gql(
      ShipmentInquiryDocument,
      { trackingNumber: s.trackingNumber },
      s.sellerToken,
    );
    expect(seller.data!.shipment!.carrierInquiry).toMatchObject({ status: 'OPEN' });
    const buyer = await server.gql(
      ShipmentInquiryDocument,
      { trackingNumber: s.trackingNumber },
      s.buyerToken,
    );
    expect(buyer.data!.shipment!.carrierInquiry).toBeNull();
    const refused = await server.gql(CarrierInquiriesDocument, {}, s.sellerToken);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('opens no inquiry on CONFIRMED', async () => {
    const { s, proofId } = await deliveredProof();
    await verify(s, proofId, 'CONFIRMED');
    expect(await server.db.manager.countBy(CarrierInquiry, { shipmentId: s.shipment.id })).toBe(0);
  });
});
