import { SignatureOption } from '../src/entities/enums';
import { MIN_HISTORY_LABELS, expectedValue } from '../src/services/protection/expected-value';
import {
  PROTECTION_RULES_VERSION,
  ProtectionExclusionCode as Code,
  assessProtection,
} from '../src/services/protection/rules';
import type { ProtectionInput } from '../src/services/protection/rules';
import { RiskReasonCode } from '../src/services/risk/reason-codes';

const { NONE, SIGNATURE_REQUIRED: SIGNED, ADULT_SIGNATURE_REQUIRED: ADULT } = SignatureOption;

/** An ordinary USD 49.99 order to a home address, no label bought yet. */
function input(overrides: Partial<ProtectionInput> = {}): ProtectionInput {
  return {
    currency: 'USD',
    orderTotalMinor: 4_999,
    signature: NONE,
    ageRestricted: false,
    shipTo: { line1: '22 Burroughs St', line2: null, postalCode: '02130' },
    riskReasonCodes: [],
    shipToChangedAfterLabel: false,
    delivery: null,
    ...overrides,
  };
}

const signedBy = (matches: boolean, adultIdVerified: boolean | null = null) => ({
  signatureCaptured: true,
  signerMatches: matches,
  adultIdVerified,
});
const unsignedDelivery = { signatureCaptured: false, signerMatches: null, adultIdVerified: null };

const codes = (overrides: Partial<ProtectionInput>) =>
  assessProtection(input(overrides)).exclusions.map((e) => e.code);

describe('protection rules', () => {
  it.each<[string, Partial<ProtectionInput>, Code[]]>([
    ['an ordinary order without signature', {}, []],
    ['USD 749.99 without signature (below the eBay threshold)', { orderTotalMinor: 74_999 }, []],
    ['USD 750.00 without signature', { orderTotalMinor: 75_000 }, [Code.NO_SIGNATURE_HIGH_VALUE]],
    ['USD 750.00 with a signature', { orderTotalMinor: 75_000, signature: SIGNED }, []],
    ['USD 750.00 with an adult signature', { orderTotalMinor: 75_000, signature: ADULT }, []],
    [
      'GBP 450.00 without signature (eBay UK threshold)',
      { currency: 'GBP', orderTotalMinor: 45_000 },
      [Code.NO_SIGNATURE_HIGH_VALUE],
    ],
    ['EUR 549.99 without signature', { currency: 'EUR', orderTotalMinor: 54_999 }, []],
    [
      'a currency eBay lists no threshold for',
      { currency: 'JPY', orderTotalMinor: 10_000_000 },
      [],
    ],
    [
      'age-restricted goods without signature',
      { ageRestricted: true },
      [Code.ADULT_SIGNATURE_REQUIRED],
    ],
    [
      'age-restricted goods with a plain signature',
      { ageRestricted: true, signature: SIGNED },
      [Code.ADULT_SIGNATURE_REQUIRED],
    ],
    ['age-restricted goods with an adult signature', { ageRestricted: true, signature: ADULT }, []],
    [
      'a forwarder warehouse ship-to',
      {
        signature: SIGNED,
        shipTo: { line1: '1250 Harbor Logistics Way', line2: 'Ste 4', postalCode: '19801-2210' },
      },
      [Code.FORWARDER_ADDRESS],
    ],
    [
      'a forwarder customer number in line 2',
      {
        signature: SIGNED,
        shipTo: { line1: '1 Main St', line2: 'Suite #CS-88231', postalCode: '10001' },
      },
      [Code.FORWARDER_ADDRESS],
    ],
    [
      'a risk assessment that found a reshipper',
      { signature: SIGNED, riskReasonCodes: [RiskReasonCode.RESHIPPER_ADDRESS] },
      [Code.FORWARDER_ADDRESS],
    ],
    [
      'a ship-to changed after the label',
      { signature: SIGNED, shipToChangedAfterLabel: true },
      [Code.ADDRESS_CHANGED_AFTER_LABEL],
    ],
    ['a signed delivery by the recipient', { signature: SIGNED, delivery: signedBy(true) }, []],
    [
      'a signature bought but not captured',
      { signature: SIGNED, delivery: unsignedDelivery },
      [Code.SIGNATURE_NOT_CAPTURED],
    ],
    [
      'a signature captured from someone else',
      { signature: SIGNED, delivery: signedBy(false) },
      [Code.SIGNER_MISMATCH],
    ],
    [
      'an adult signature without an ID check',
      { signature: ADULT, delivery: signedBy(true, false) },
      [Code.ADULT_ID_NOT_VERIFIED],
    ],
    [
      'an adult signature with ID checked',
      { signature: ADULT, delivery: signedBy(true, true) },
      [],
    ],
    ['an unsigned label delivered', { delivery: unsignedDelivery }, []],
    [
      'a USD 900 unsigned label delivered to a forwarder after an address change',
      {
        orderTotalMinor: 90_000,
        delivery: unsignedDelivery,
        shipToChangedAfterLabel: true,
        riskReasonCodes: [RiskReasonCode.RESHIPPER_ADDRESS],
      },
      [Code.NO_SIGNATURE_HIGH_VALUE, Code.FORWARDER_ADDRESS, Code.ADDRESS_CHANGED_AFTER_LABEL],
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(codes(overrides)).toEqual(expected);
    const result = assessProtection(input(overrides));
    expect(result.protected).toBe(expected.length === 0);
    expect(result.rulesVersion).toBe(PROTECTION_RULES_VERSION);
  });

  it('explains the high-value exclusion with the order total and the threshold', () => {
    const [exclusion] = assessProtection(input({ orderTotalMinor: 82_500 })).exclusions;
    expect(exclusion.message).toContain('USD 825.00');
    expect(exclusion.message).toContain('USD 750.00');
    expect(exclusion.message).toContain('eBay');
  });

  it('gives the same answer for the same input', () => {
    const overrides = { orderTotalMinor: 80_000, delivery: unsignedDelivery };
    expect(assessProtection(input(overrides))).toEqual(assessProtection(input(overrides)));
  });
});

describe('expected value', () => {
  const base = {
    feeMinor: 395,
    orderValueMinor: 80_000,
    protected: false,
    riskLevel: 'HIGH',
    signed: false,
  };

  it('puts the whole order value at risk when a claim would not be protected', () => {
    const ev = expectedValue({ ...base, history: { labels: 0, claims: 0 } });
    expect(ev).toMatchObject({ feeMinor: 395, orderValueMinor: 80_000, valueAtRiskMinor: 80_000 });
  });

  it('puts nothing at risk when a claim would be protected', () => {
    const ev = expectedValue({
      ...base,
      protected: true,
      signed: true,
      history: { labels: 0, claims: 0 },
    });
    expect(ev.valueAtRiskMinor).toBe(0);
  });

  it('gives no probability below the minimum history, and says so', () => {
    const ev = expectedValue({ ...base, history: { labels: MIN_HISTORY_LABELS - 1, claims: 5 } });
    expect(ev.claimProbability).toBeNull();
    expect(ev.expectedLossMinor).toBeNull();
    expect(ev.expectedCostMinor).toBeNull();
    expect(ev.sampleSize).toBe(MIN_HISTORY_LABELS - 1);
    expect(ev.basis).toContain('No claim probability');
  });

  it('prices the expected loss from the observed claim rate', () => {
    const ev = expectedValue({ ...base, history: { labels: 40, claims: 6 } });
    expect(ev.claimProbability).toBeCloseTo(0.15);
    expect(ev.expectedLossMinor).toBe(12_000);
    expect(ev.expectedCostMinor).toBe(12_395);
    expect(ev.basis).toContain('6 not-received claims on 40 unsigned labels of HIGH-risk orders');
  });
});
