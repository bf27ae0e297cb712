import { SandboxGateway, billablePounds } from '../src/carriers/sandbox.gateway';
import type { ServiceRef } from '../src/carriers/gateway';
import {
  s10CheckDigit,
  upsCheckDigit,
  upsTrackingNumber,
  uspsTrackingNumber,
} from '../src/carriers/tracking-numbers';
import { zoneFor } from '../src/carriers/zones';
import { Carrier } from '../src/entities/enums';
import { CARRIER_CATALOG } from '../src/reference/carrier-catalog';

const service = (code: string): ServiceRef => {
  const found = CARRIER_CATALOG.find((s) => s.code === code);
  if (!found) throw new Error(code);
  return found;
};
const parcel = { weightOz: 40, lengthIn: 12, widthIn: 9, heightIn: 4 };
const gateway = new SandboxGateway();
const rate = (code: string, overrides: Partial<Parameters<SandboxGateway['rate']>[0]> = {}) =>
  gateway.rate({
    service: service(code),
    parcel,
    originPostalCode: '97209',
    destinationPostalCode: '02130',
    destinationCountry: 'US',
    ...overrides,
  });

/** USPS IMpb check, written out independently: from the right, odd positions ×3. */
function uspsValid(tn: string): boolean {
  const digits = tn.slice(0, -1).split('').reverse().map(Number);
  const sum = digits.reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === Number(tn.slice(-1));
}

describe('zones from origin and destination ZIP', () => {
  it('is 1 within a 3-digit ZIP area and grows with distance to 8 across the country', () => {
    expect(zoneFor('97209', '97214')).toBe(1);
    expect(zoneFor('97209', '98103')).toBeGreaterThan(1);
    expect(zoneFor('97209', '98103')).toBeLessThan(zoneFor('97209', '60607'));
    expect(zoneFor('97209', '02130')).toBe(8);
    expect(zoneFor('02130', '97209')).toBe(8);
  });
});

describe('sandbox rates', () => {
  it('gives the same rate for the same request', async () => {
    expect(await rate('USPS_PRIORITY_MAIL')).toEqual(await rate('USPS_PRIORITY_MAIL'));
  });

  it('charge more for more weight and for a farther zone', async () => {
    const base = await rate('UPS_GROUND');
    const heavier = await rate('UPS_GROUND', { parcel: { ...parcel, weightOz: 160 } });
    const nearer = await rate('UPS_GROUND', { destinationPostalCode: '97214' });
    expect(heavier.postageMinor).toBeGreaterThan(base.postageMinor);
    expect(nearer.postageMinor).toBeLessThan(base.postageMinor);
    expect(nearer.zone).toBe(1);
    expect(base.zone).toBe(8);
  });

  it('price by service: Next Day Air costs more and arrives sooner than Ground', async () => {
    const ground = await rate('UPS_GROUND');
    const air = await rate('UPS_NEXT_DAY_AIR');
    expect(air.postageMinor).toBeGreaterThan(ground.postageMinor);
    expect(air.estimatedDays).toBeLessThan(ground.estimatedDays);
  });

  it('bill a large light box by its dimensional weight', () => {
    expect(billablePounds({ weightOz: 8, lengthIn: 18, widthIn: 14, heightIn: 12 })).toBe(19);
    expect(billablePounds({ weightOz: 8, lengthIn: 6, widthIn: 4, heightIn: 3 })).toBe(1);
  });
});

describe('tracking numbers', () => {
  it('computes the UPS check digit of the published sample 1Z999AA10123456784', () => {
    expect(upsCheckDigit('999AA1012345678')).toBe(4);
  });

  it('computes the S10 check digit of the UPU sample AA473124829GB', () => {
    expect(s10CheckDigit('47312482')).toBe(9);
  });

  it('are in UPS format: 1Z, 6 shipper characters, 2 service digits, 8 digits with a check digit', async () => {
    const { trackingNumber: tn } = await gateway.purchase({
      service: service('UPS_GROUND'),
      parcel,
      originPostalCode: '97209',
      destinationPostalCode: '02130',
      destinationCountry: 'US',
      signatureCarrierCode: 'DCIS:2',
      shipperId: 7,
      reference: '7:key-1',
    });
    expect(tn).toMatch(/^1Z[0-9A-Z]{6}03\d{8}$/);
    expect(upsCheckDigit(tn.slice(2, 17))).toBe(Number(tn[17]));
    expect(upsTrackingNumber('UPS_NEXT_DAY_AIR', 7, 'x').slice(2, 8)).toBe(tn.slice(2, 8));
    expect(upsTrackingNumber('UPS_NEXT_DAY_AIR', 7, 'x').slice(8, 10)).toBe('01');
  });

  it('are in USPS format: 22 digits with the service prefix and a valid check digit', () => {
    const cases: Array<[string, string]> = [
      ['USPS_GROUND_ADVANTAGE', '9400'],
      ['USPS_PRIORITY_MAIL', '9205'],
      ['USPS_PRIORITY_MAIL_EXPRESS', '9270'],
    ];
    for (const [code, prefix] of cases) {
      for (const seed of ['1:a', '1:b', '2:a']) {
        const tn = uspsTrackingNumber(code, seed);
        expect(tn).toMatch(/^\d{22}$/);
        expect(tn.startsWith(prefix)).toBe(true);
        expect(uspsValid(tn)).toBe(true);
      }
    }
  });

  it('use the UPU S10 format for international mail', async () => {
    const { trackingNumber: tn } = await gateway.purchase({
      service: service('USPS_PRIORITY_MAIL_INTERNATIONAL'),
      parcel,
      originPostalCode: '97209',
      destinationPostalCode: 'M5V 2T6',
      destinationCountry: 'CA',
      signatureCarrierCode: null,
      shipperId: 1,
      reference: '1:intl',
    });
    expect(tn).toMatch(/^[A-Z]{2}\d{9}US$/);
    expect(s10CheckDigit(tn.slice(2, 10))).toBe(Number(tn[10]));
  });

  it('are the same for the same reference and differ between references', () => {
    expect(uspsTrackingNumber('USPS_PRIORITY_MAIL', '3:k')).toBe(
      uspsTrackingNumber('USPS_PRIORITY_MAIL', '3:k'),
    );
    const many = new Set(
      Array.from({ length: 500 }, (_, i) => upsTrackingNumber('UPS_GROUND', 3, `3:${i}`)),
    );
    expect(many.size).toBe(500);
  });
});

describe('void', () => {
  it('is granted by the sandbox (the label service decides what may be voided)', async () => {
    await expect(
      gateway.void({ carrier: Carrier.UPS, trackingNumber: '1Z999AA10123456784' }),
    ).resolves.toBeUndefined();
  });
});
