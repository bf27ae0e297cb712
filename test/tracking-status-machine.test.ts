import { OrderStatus, ShipmentStatus as S, SignatureOption } from '../src/entities/enums';
import { assessDelivery, signerMatches } from '../src/services/tracking/proof-checks';
import { decide, orderStatusFor } from '../src/services/tracking/status-machine';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 12, minutes));

describe('tracking status machine', () => {
  it('moves a shipment forward through its lifecycle', () => {
    const path = [
      S.IN_TRANSIT,
      S.OUT_FOR_DELIVERY,
      S.DELIVERY_ATTEMPTED,
      S.OUT_FOR_DELIVERY,
      S.DELIVERED,
    ];
    let current = { status: S.LABEL_CREATED, statusAt: at(0) };
    path.forEach((status, i) => {
      expect(decide(current, { status, occurredAt: at(i + 1) })).toEqual({ apply: true });
      current = { status, statusAt: at(i + 1) };
    });
  });

  it('never moves a delivered shipment back, even for a newer in-transit scan', () => {
    const delivered = { status: S.DELIVERED, statusAt: at(10) };
    expect(decide(delivered, { status: S.IN_TRANSIT, occurredAt: at(5) })).toEqual({
      apply: false,
      why: 'TERMINAL',
    });
    expect(decide(delivered, { status: S.IN_TRANSIT, occurredAt: at(20) })).toEqual({
      apply: false,
      why: 'TERMINAL',
    });
  });

  it('keeps an event older than the current status as history only', () => {
    const out = { status: S.OUT_FOR_DELIVERY, statusAt: at(10) };
    expect(decide(out, { status: S.IN_TRANSIT, occurredAt: at(9) })).toEqual({
      apply: false,
      why: 'STALE',
    });
  });

  it('applies an event with the same carrier time as the current status', () => {
    const transit = { status: S.IN_TRANSIT, statusAt: at(10) };
    expect(decide(transit, { status: S.OUT_FOR_DELIVERY, occurredAt: at(10) })).toEqual({
      apply: true,
    });
  });

  it('refuses moves a carrier cannot make', () => {
    const pickup = { status: S.AVAILABLE_FOR_PICKUP, statusAt: at(1) };
    expect(decide(pickup, { status: S.LABEL_CREATED, occurredAt: at(2) })).toEqual({
      apply: false,
      why: 'NOT_ALLOWED',
    });
    const transit = { status: S.IN_TRANSIT, statusAt: at(1) };
    expect(decide(transit, { status: S.CANCELLED, occurredAt: at(2) })).toMatchObject({
      apply: false,
    });
  });

  it('moves the order to in transit, then delivered, and leaves cancelled orders alone', () => {
    expect(orderStatusFor(S.IN_TRANSIT, OrderStatus.LABEL_PURCHASED)).toBe(OrderStatus.IN_TRANSIT);
    expect(orderStatusFor(S.OUT_FOR_DELIVERY, OrderStatus.IN_TRANSIT)).toBeNull();
    expect(orderStatusFor(S.DELIVERED, OrderStatus.IN_TRANSIT)).toBe(OrderStatus.DELIVERED);
    expect(orderStatusFor(S.DELIVERED, OrderStatus.CANCELLED)).toBeNull();
  });
});

describe('delivery proof checks', () => {
  const signature = (signerName: string, adultIdVerified: boolean | null = null) => ({
    signerName,
    imageDataUrl: 'data:image/svg+xml;base64,PHN2Zy8+',
    signedAt: at(0),
    location: 'Front door',
    adultIdVerified,
  });

  it('matches signer names ignoring case, spacing and punctuation, and by last name', () => {
    expect(signerMatches('  jane   SMITH ', 'Jane Smith')).toBe(true);
    expect(signerMatches('J. Smith', 'Jane Smith')).toBe(true);
    expect(signerMatches("Ana O'Neil", 'Ana ONeil')).toBe(true);
    expect(signerMatches('Front Desk', 'Jane Smith')).toBe(false);
  });

  it('passes a signed delivery of a signature-required parcel by the recipient', () => {
    const result = assessDelivery(
      SignatureOption.SIGNATURE_REQUIRED,
      signature('Jane Smith'),
      'Jane Smith',
    );
    expect(result.checks.map((c) => [c.code, c.passed])).toEqual([
      ['SIGNATURE_PRESENT', true],
      ['SIGNER_NAME_MATCHES', true],
    ]);
    expect(result.flagged).toBe(false);
  });

  it('flags a paid-for signature that is missing', () => {
    const result = assessDelivery(SignatureOption.SIGNATURE_REQUIRED, null, 'Jane Smith');
    expect(result).toMatchObject({ flagged: true, signatureMissing: true });
    expect(result.checks).toEqual([
      expect.objectContaining({ code: 'SIGNATURE_PRESENT', passed: false }),
    ]);
  });

  it('checks adult ID only when adult signature was bought', () => {
    const adult = assessDelivery(
      SignatureOption.ADULT_SIGNATURE_REQUIRED,
      signature('Jane Smith', false),
      'Jane Smith',
    );
    expect(adult.checks.find((c) => c.code === 'ADULT_ID_VERIFIED')?.passed).toBe(false);
    expect(adult.flagged).toBe(true);
    const plain = assessDelivery(
      SignatureOption.SIGNATURE_REQUIRED,
      signature('Jane Smith'),
      'Jane Smith',
    );
    expect(plain.checks.some((c) => c.code === 'ADULT_ID_VERIFIED')).toBe(false);
  });

  it('flags a signer who is not the recipient', () => {
    const result = assessDelivery(
      SignatureOption.SIGNATURE_REQUIRED,
      signature('Front Desk'),
      'Jane Smith',
    );
    expect(result.flagged).toBe(true);
    expect(result.signatureMissing).toBe(false);
  });
});
