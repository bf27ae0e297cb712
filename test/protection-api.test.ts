import { Address, Order } from '../src/entities';
import { addressFingerprint } from '../src/core/address-fingerprint';
import { parseGlobalId, toGlobalId } from '../src/core/global-id';
import {
  LabelProtectionDocument,
  LabelsProtectionDocument,
  QuoteProtectionDocument,
} from './generated/operations';
import { carrierEvent, minutesFromNow, postCarrierEvent, pngSignature } from './support/carrier';
import { buyLabel } from './support/labels';
import { pickHighValueOrder } from './support/protection';
import { createShipment } from './support/shipments';
import type { ShipmentFixture } from './support/shipments';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;
let seller: string;
const taken = new Set<string>();

beforeAll(async () => {
  server = await startTestServer();
  seller = server.tokens.seller[0];
});
afterAll(() => server.stop());

const highValueOrder = () => pickHighValueOrder(server, seller, taken);

async function labelProtection(labelId: string, token = seller) {
  const res = await server.gql(LabelProtectionDocument, { id: labelId }, token);
  expect(res.errors).toBeUndefined();
  const node = res.data!.node;
  if (!node || !('protection' in node)) throw new Error(`no label ${labelId}`);
  return node.protection;
}

const codes = (p: { exclusions: readonly { code: string }[] }) => p.exclusions.map((e) => e.code);

async function deliver(s: ShipmentFixture, signature?: Record<string, unknown>) {
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

const signedBy = (name: string) => ({
  signerName: name,
  imageDataUrl: pngSignature(name),
  signedAt: minutesFromNow(-1),
  location: 'Front door',
});

describe('protection on a quote', () => {
  it('tells a seller that skipping the signature on a USD 750+ order leaves a claim unprotected', async () => {
    const order = await highValueOrder();
    const res = await server.gql(QuoteProtectionDocument, { input: { orderId: order.id } }, seller);
    expect(res.data?.createLabelQuote.userErrors).toEqual([]);
    const quote = res.data!.createLabelQuote.quote!;
    const rate = quote.rates.find(
      (r) => r.eligible && r.options.some((o) => o.option === 'SIGNATURE_REQUIRED' && o.supported),
    )!;
    const none = rate.options.find((o) => o.option === 'NONE')!;
    const signed = rate.options.find((o) => o.option === 'SIGNATURE_REQUIRED')!;
    const total = order.totals.total.amount;

    expect(none.protection).toMatchObject({ protected: false });
    expect(codes(none.protection!)).toEqual(['NO_SIGNATURE_HIGH_VALUE']);
    expect(none.protection!.exclusions[0].message).toContain('USD 750.00');
    expect(none.expectedValue).toMatchObject({
      fee: { amount: '0.00', currencyCode: 'USD' },
      orderValue: { amount: total },
      valueAtRisk: { amount: total },
      claimProbability: null,
      expectedCost: null,
    });
    expect(none.expectedValue!.basis).toContain('No claim probability');

    expect(signed).toMatchObject({ isRecommended: true, protection: { protected: true } });
    expect(signed.expectedValue!.valueAtRisk.amount).toBe('0.00');
    expect(Number(signed.expectedValue!.fee.amount)).toBeGreaterThan(0);
    expect(signed.protection!.rulesVersion).toMatch(/\S/);
  });
});

describe('protection on a label', () => {
  it('says an unsigned label on a USD 750+ order is not protected, and why', async () => {
    const order = await highValueOrder();
    const { label } = await buyLabel(server, seller, { orderId: order.id });
    const protection = await labelProtection(label.id);
    expect(protection.protected).toBe(false);
    expect(codes(protection)).toEqual(['NO_SIGNATURE_HIGH_VALUE']);
    // Staff read it too.
    expect(codes(await labelProtection(label.id, server.tokens.admin))).toEqual([
      'NO_SIGNATURE_HIGH_VALUE',
    ]);
  });

  it('follows the delivery: a signer other than the recipient removes protection', async () => {
    const s = await createShipment(server, { signature: 'SIGNATURE_REQUIRED' as never });
    const labelId = toGlobalId('Label', s.shipment.labelId);
    expect(codes(await labelProtection(labelId))).not.toContain('SIGNER_MISMATCH');
    await deliver(s, signedBy('Somebody Else Entirely'));
    expect(codes(await labelProtection(labelId))).toContain('SIGNER_MISMATCH');
  });

  it('says a bought signature the carrier did not capture leaves a claim unprotected', async () => {
    const s = await createShipment(server, { signature: 'SIGNATURE_REQUIRED' as never });
    await deliver(s);
    const protection = await labelProtection(toGlobalId('Label', s.shipment.labelId));
    expect(protection.protected).toBe(false);
    expect(codes(protection)).toContain('SIGNATURE_NOT_CAPTURED');
  });

  it('notices a ship-to that changed after the label was bought', async () => {
    const s = await createShipment(server, { signature: 'SIGNATURE_REQUIRED' as never });
    const labelId = toGlobalId('Label', s.shipment.labelId);
    expect(codes(await labelProtection(labelId))).not.toContain('ADDRESS_CHANGED_AFTER_LABEL');
    // The marketplace moves the order to another address (as an order import would).
    const m = server.db.manager;
    const moved = { ...s.shipTo, id: undefined, line1: '99 Elsewhere Ave' };
    const inserted = await m.save(
      m.create(Address, { ...moved, fingerprint: addressFingerprint(moved) }),
    );
    await m.update(Order, { id: s.order.id }, { shipToAddressId: inserted.id });
    expect(codes(await labelProtection(labelId))).toContain('ADDRESS_CHANGED_AFTER_LABEL');
  });

  // The labels bought by the tests above make the list.
  it('costs the same statements for one label as for all of them (no query per label)', async () => {
    const measure = (first: number) =>
      server.sql.measure(() => server.gql(LabelsProtectionDocument, { first }, seller));
    const one = await measure(1);
    const many = await measure(25);
    expect(one.result.errors).toBeUndefined();
    const listed = many.result.data!.labels.edges;
    expect(listed.length).toBeGreaterThanOrEqual(4);
    expect(listed.every((e) => typeof e.node.protection.protected === 'boolean')).toBe(true);
    expect(many.statements).toBe(one.statements);
    expect(parseGlobalId(listed[0].node.id)?.type).toBe('Label');
  });
});
