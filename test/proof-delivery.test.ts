import jpeg from 'jpeg-js';
import { DeliveryProof } from '../src/entities';
import { SignatureOption } from '../src/entities/enums';
import { toGlobalId } from '../src/core/global-id';
import {
  ShipmentByTrackingNumberDocument,
  ShipmentNodeDocument,
  VerifyDeliveryProofFullDocument,
} from './generated/operations';
import { carrierEvent, minutesFromNow, postCarrierEvent, pngSignature } from './support/carrier';
import { createShipment, otherBuyerToken } from './support/shipments';
import type { ShipmentFixture } from './support/shipments';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function deliver(s: ShipmentFixture, signature?: Record<string, unknown> | null) {
  const res = await postCarrierEvent(
    server,
    'USPS',
    carrierEvent(s.trackingNumber, {
      status: 'DELIVERED',
      occurredAt: minutesFromNow(-1),
      ...(signature ? { signature } : {}),
    }),
  );
  expect(res.status).toBe(200);
}

const signedBy = (name: string, extra: Record<string, unknown> = {}) => ({
  signerName: name,
  imageDataUrl: pngSignature(name),
  signedAt: minutesFromNow(-1),
  location: 'Front door',
  ...extra,
});

const proofOf = async (s: ShipmentFixture, token: string) =>
  (await server.gql(ShipmentByTrackingNumberDocument, { trackingNumber: s.trackingNumber }, token))
    .data?.shipment?.deliveryProof;

describe('delivery proof', () => {
  it('records a signed delivery with passing checks; the seller sees the image', async () => {
    const s = await createShipment(server);
    await deliver(s, signedBy(s.shipTo.name));
    const proof = await proofOf(s, s.sellerToken);
    expect(proof).toMatchObject({
      signed: true,
      signerName: s.shipTo.name,
      location: 'Front door',
      flagged: false,
      signatureImage: pngSignature(s.shipTo.name),
    });
    expect(proof?.checks.map((c) => [c.code, c.passed])).toEqual([
      ['SIGNATURE_PRESENT', true],
      ['SIGNER_NAME_MATCHES', true],
    ]);
  });

  it('tells the buyer who signed and when, but not the image', async () => {
    const s = await createShipment(server);
    await deliver(s, signedBy(s.shipTo.name));
    const proof = await proofOf(s, s.buyerToken);
    expect(proof).toMatchObject({ signed: true, signerName: s.shipTo.name, signatureImage: null });
    expect(proof?.signedAt).toEqual(expect.any(String));
    // Through node(id) too.
    const node = await server.gql(ShipmentNodeDocument, { id: proof?.id as string }, s.buyerToken);
    expect(node.data?.node).toMatchObject({
      __typename: 'DeliveryProof',
      signed: true,
      signatureImage: null,
    });
  });

  it('flags a delivery without the signature that was paid for', async () => {
    const s = await createShipment(server, { signature: SignatureOption.SIGNATURE_REQUIRED });
    await deliver(s, null);
    const proof = await proofOf(s, s.sellerToken);
    expect(proof).toMatchObject({
      signed: false,
      flagged: true,
      signerName: null,
      signatureImage: null,
    });
    expect(proof?.checks).toEqual([
      expect.objectContaining({ code: 'SIGNATURE_PRESENT', passed: false }),
    ]);
  });

  it('checks the adult ID result when adult signature was bought', async () => {
    const verified = await createShipment(server, {
      signature: SignatureOption.ADULT_SIGNATURE_REQUIRED,
    });
    await deliver(verified, signedBy(verified.shipTo.name, { adultIdVerified: true }));
    const ok = await proofOf(verified, verified.sellerToken);
    expect(ok).toMatchObject({ adultIdVerified: true, flagged: false });
    expect(ok?.checks.find((c) => c.code === 'ADULT_ID_VERIFIED')?.passed).toBe(true);

    const unverified = await createShipment(server, {
      signature: SignatureOption.ADULT_SIGNATURE_REQUIRED,
    });
    await deliver(unverified, signedBy(unverified.shipTo.name));
    const bad = await proofOf(unverified, unverified.sellerToken);
    expect(bad).toMatchObject({ adultIdVerified: null, flagged: true });
  });

  it('flags a signer whose name does not match the recipient', async () => {
    const s = await createShipment(server);
    await deliver(s, signedBy('Front Desk'));
    const proof = await proofOf(s, s.sellerToken);
    expect(proof?.flagged).toBe(true);
    expect(proof?.checks.find((c) => c.code === 'SIGNER_NAME_MATCHES')?.passed).toBe(false);
  });

  it('records no proof for an unsigned delivery that needed no signature', async () => {
    const s = await createShipment(server, { signature: SignatureOption.NONE });
    await deliver(s, null);
    expect(await proofOf(s, s.sellerToken)).toBeNull();
  });
});

describe('verifyDeliveryProof', () => {
  let s: ShipmentFixture;
  let proofId: string;

  beforeAll(async () => {
    s = await createShipment(server);
    await deliver(s, signedBy(s.shipTo.name));
    proofId = (await proofOf(s, s.sellerToken))?.id as string;
  });

  const verify = (input: Record<string, unknown>, token: string) =>
    server.gql(
      VerifyDeliveryProofFullDocument,
      { input: { proofId, verdict: 'CONFIRMED', ...input } },
      token,
    );

  it('records the verdict, the note, who and when', async () => {
    const res = await verify(
      { verdict: 'DISPUTED', note: 'Signature looks scribbled' },
      s.sellerToken,
    );
    expect(res.data?.verifyDeliveryProof.userErrors).toEqual([]);
    expect(res.data?.verifyDeliveryProof.proof).toMatchObject({
      id: proofId,
      verdict: 'DISPUTED',
      verdictNote: 'Signature looks scribbled',
    });
    const row = await server.db.manager.findOneByOrFail(DeliveryProof, {
      shipmentId: s.shipment.id,
    });
    expect(row.verifiedByTokenId).toEqual(expect.any(Number));
    expect(row.verifiedAt).toBeInstanceOf(Date);
    // The buyer does not see the seller's verdict.
    expect(await proofOf(s, s.buyerToken)).toMatchObject({ verdict: null, verdictNote: null });
  });

  it("answers PROOF_NOT_FOUND for another seller's proof, and records nothing", async () => {
    const row = () =>
      server.db.manager.findOneByOrFail(DeliveryProof, { shipmentId: s.shipment.id });
    const before = await row();
    const res = await verify({}, server.tokens.seller[1]);
    expect(await row()).toEqual(before);
    expect(res.data?.verifyDeliveryProof).toEqual({
      proof: null,
      userErrors: [
        { code: 'PROOF_NOT_FOUND', field: ['input', 'proofId'], message: expect.any(String) },
      ],
    });
  });

  it('refuses a note over 1000 characters with INVALID_INPUT', async () => {
    const res = await verify({ note: 'x'.repeat(1001) }, s.sellerToken);
    expect(res.data?.verifyDeliveryProof.userErrors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: ['input', 'note'],
    });
  });

  it('refuses an id of another type with INVALID_ID', async () => {
    const res = await verify({ proofId: toGlobalId('Order', 1) }, s.sellerToken);
    expect(res.data?.verifyDeliveryProof.userErrors[0]?.code).toBe('INVALID_ID');
  });

  it('refuses buyers with FORBIDDEN', async () => {
    const res = await verify({}, s.buyerToken);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await verify({}, otherBuyerToken(server, s.buyerToken));
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('signature images from carriers', () => {
  const asDataUrl = (type: string, bytes: Buffer | string) =>
    `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
  const png = () => Buffer.from(pngSignature('Image Test').split(',')[1], 'base64');
  const post = (s: ShipmentFixture, imageDataUrl: string) =>
    postCarrierEvent(
      server,
      'USPS',
      carrierEvent(s.trackingNumber, {
        status: 'DELIVERED',
        occurredAt: minutesFromNow(-1),
        signature: { ...signedBy(s.shipTo.name), imageDataUrl },
      }),
    );
  const expectRefused = async (s: ShipmentFixture, imageDataUrl: string) => {
    expect(await post(s, imageDataUrl)).toEqual({
      status: 400,
      body: { error: 'INVALID_FIELD', field: 'signature.imageDataUrl' },
    });
    expect(
      await server.db.manager.count(DeliveryProof, { where: { shipmentId: s.shipment.id } }),
    ).toBe(0);
  };

  it('refuses an SVG with an entity-encoded javascript: link, and stores nothing', async () => {
    const s = await createShipment(server);
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg"><a href="&#106;avascript:alert(document.cookie)"><text x="5" y="20">Sign here</text></a></svg>';
    await expectRefused(s, asDataUrl('image/svg+xml', svg));
  });

  it('refuses a PNG with a bad checksum, and a truncated one', async () => {
    const s = await createShipment(server);
    const damaged = png();
    damaged[damaged.indexOf('IHDR') + 4 + 13] ^= 0xff;
    await expectRefused(s, asDataUrl('image/png', damaged));
    const whole = png();
    await expectRefused(s, asDataUrl('image/png', whole.subarray(0, whole.length - 30)));
  });

  it.each([
    ['PNG', 'image/png', png],
    [
      'JPEG',
      'image/jpeg',
      () =>
        Buffer.from(
          jpeg.encode({ data: Buffer.alloc(64 * 24 * 4, 0x80), width: 64, height: 24 }, 85).data,
        ),
    ],
  ])('accepts a valid %s and serves it back byte for byte', async (_name, type, bytes) => {
    const s = await createShipment(server);
    const sent = bytes();
    expect((await post(s, asDataUrl(type, sent))).status).toBe(200);
    const served = (await proofOf(s, s.sellerToken))?.signatureImage as string;
    expect(served.startsWith(`data:${type};base64,`)).toBe(true);
    expect(Buffer.from(served.split(',')[1], 'base64').equals(sent)).toBe(true);
  });

  it('no longer serves an SVG stored before SVG was refused', async () => {
    const s = await createShipment(server);
    await deliver(s, signedBy(s.shipTo.name));
    const legacy = asDataUrl('image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await server.db.manager.update(
      DeliveryProof,
      { shipmentId: s.shipment.id },
      { signatureImage: legacy },
    );
    expect(await proofOf(s, s.sellerToken)).toMatchObject({ signed: true, signatureImage: null });
  });
});
