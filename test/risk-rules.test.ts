import { RiskLevel, ShippingSpeed, SignatureOption } from '../src/entities/enums';
import { RULESET_VERSION, assessRisk } from '../src/services/risk/engine';
import { RiskReasonCode as Code } from '../src/services/risk/reason-codes';
import { RESHIPPER_MARKERS, matchReshipper } from '../src/services/risk/reshippers';
import type { RiskInput } from '../src/services/risk/rules';
import { WEIGHTS } from '../src/services/risk/rules';
import { DEFAULT_RISK_THRESHOLDS, thresholdProblems } from '../src/services/risk/settings';
import type { RiskThresholds } from '../src/services/risk/settings';

/** An ordinary order: established buyer, low value, standard shipping, billed where shipped. */
function input(overrides: Partial<RiskInput> = {}): RiskInput {
  return {
    currency: 'USD',
    totalMinor: 4_999,
    items: [{ sku: 'BOOK-1', quantity: 1, ageRestricted: false }],
    shippingSpeed: ShippingSpeed.STANDARD,
    addressChangedAfterCheckout: false,
    onHold: false,
    buyer: { accountAgeDays: 900, notReceivedClaims: 0, claimsDecidedForSeller: 0 },
    shipTo: {
      line1: '22 Burroughs St',
      line2: null,
      postalCode: '02130',
      region: 'MA',
      country: 'US',
      otherBuyersClaims: 0,
      distinctBuyers: 1,
    },
    billing: { region: 'MA', country: 'US' },
    ...overrides,
  };
}

const assess = (overrides: Partial<RiskInput> = {}, thresholds: Partial<RiskThresholds> = {}) =>
  assessRisk(input(overrides), { ...DEFAULT_RISK_THRESHOLDS, ...thresholds });
const codes = (result: ReturnType<typeof assess>) => result.reasons.map((r) => r.code);

describe('an ordinary order', () => {
  it('is LOW with no reasons and no recommendation', () => {
    expect(assess()).toEqual({
      score: 0,
      level: RiskLevel.LOW,
      reasons: [],
      recommendedSignature: SignatureOption.NONE,
    });
  });

  it('gives the same result for the same input', () => {
    const overrides = { totalMinor: 80_000, onHold: true };
    expect(assess(overrides)).toEqual(assess(overrides));
  });

  it('names its rule-set version', () => {
    expect(RULESET_VERSION).toMatch(/\S/);
  });
});

describe('ORDER_VALUE_HIGH', () => {
  it('does not fire at 749.99, where the value only counts as elevated', () => {
    const result = assess({ totalMinor: 74_999 });
    expect(codes(result)).toEqual([Code.ORDER_VALUE_ELEVATED]);
    expect(result.level).toBe(RiskLevel.ELEVATED);
    expect(result.recommendedSignature).toBe(SignatureOption.NONE);
  });

  it('fires at exactly 750.00: HIGH, signature recommended, the threshold in the message', () => {
    const result = assess({ totalMinor: 75_000 });
    expect(codes(result)).toEqual([Code.ORDER_VALUE_HIGH]);
    expect(result.level).toBe(RiskLevel.HIGH);
    expect(result.recommendedSignature).toBe(SignatureOption.SIGNATURE_REQUIRED);
    expect(result.reasons[0].message).toContain('USD 750.00');
    expect(result.reasons[0].weight).toBe(WEIGHTS[Code.ORDER_VALUE_HIGH]);
  });

  it("follows the seller's own threshold", () => {
    expect(assess({ totalMinor: 60_000 }, { highValueMinor: 50_000 }).level).toBe(RiskLevel.HIGH);
    expect(codes(assess({ totalMinor: 80_000 }, { highValueMinor: 100_000 }))).toEqual([
      Code.ORDER_VALUE_ELEVATED,
    ]);
  });
});

describe('orders in another currency than the thresholds (USD)', () => {
  it('skip the value rules, with no reason, and keep the others', () => {
    const fresh = { accountAgeDays: 3, notReceivedClaims: 0, claimsDecidedForSeller: 0 };
    const usd = assess({ totalMinor: 80_000, buyer: fresh, onHold: true });
    expect(codes(usd)).toEqual([
      Code.ORDER_VALUE_HIGH,
      Code.PLATFORM_HOLD,
      Code.NEW_BUYER_LARGE_ORDER,
    ]);
    const eur = assess({ currency: 'EUR', totalMinor: 80_000, buyer: fresh, onHold: true });
    expect(codes(eur)).toEqual([Code.PLATFORM_HOLD]);
    expect(eur.level).toBe(RiskLevel.ELEVATED);
    expect(codes(assess({ currency: 'GBP', totalMinor: 30_000 }))).toEqual([]);
  });
});

describe('ORDER_VALUE_ELEVATED', () => {
  it('fires from 250.00, not at 249.99', () => {
    expect(codes(assess({ totalMinor: 24_999 }))).toEqual([]);
    const result = assess({ totalMinor: 25_000 });
    expect(result.reasons).toEqual([
      expect.objectContaining({ code: Code.ORDER_VALUE_ELEVATED, weight: 15 }),
    ]);
    expect(result.score).toBe(15);
  });

  it("follows the seller's own elevated threshold", () => {
    expect(codes(assess({ totalMinor: 12_000 }, { elevatedValueMinor: 10_000 }))).toEqual([
      Code.ORDER_VALUE_ELEVATED,
    ]);
  });
});

describe('AGE_RESTRICTED_ITEM', () => {
  it('recommends adult signature for one 21+ item among others, naming it', () => {
    const result = assess({
      items: [
        { sku: 'GLASSES', quantity: 1, ageRestricted: false },
        { sku: 'CAB-2021', quantity: 2, ageRestricted: true },
        { sku: 'OPENER', quantity: 1, ageRestricted: false },
      ],
    });
    expect(codes(result)).toEqual([Code.AGE_RESTRICTED_ITEM]);
    expect(result.reasons[0].message).toContain('CAB-2021');
    expect(result.recommendedSignature).toBe(SignatureOption.ADULT_SIGNATURE_REQUIRED);
    // HIGH, so it is in the default "needs a signature" view, though it adds nothing to the score.
    expect(result.level).toBe(RiskLevel.HIGH);
    expect(result.score).toBe(0);
  });

  it('keeps adult signature when the order is also HIGH for its value', () => {
    const result = assess({
      totalMinor: 90_000,
      items: [{ sku: 'RESERVE', quantity: 6, ageRestricted: true }],
    });
    expect(result.level).toBe(RiskLevel.HIGH);
    expect(result.recommendedSignature).toBe(SignatureOption.ADULT_SIGNATURE_REQUIRED);
  });

  it('does not fire when no item is age-restricted', () => {
    expect(codes(assess())).not.toContain(Code.AGE_RESTRICTED_ITEM);
  });
});

describe('PRIOR_NOT_RECEIVED_CLAIMS', () => {
  it("makes the order HIGH on the buyer's own earlier claims", () => {
    const result = assess({
      buyer: { accountAgeDays: 900, notReceivedClaims: 2, claimsDecidedForSeller: 0 },
    });
    expect(codes(result)).toEqual([Code.PRIOR_NOT_RECEIVED_CLAIMS]);
    expect(result.level).toBe(RiskLevel.HIGH);
    expect(result.recommendedSignature).toBe(SignatureOption.SIGNATURE_REQUIRED);
    expect(result.reasons[0].message).toMatch(/2 earlier not-received claims/);
  });

  it('says how many of the claims the seller won on the delivery proof', () => {
    const buyer = { accountAgeDays: 900, notReceivedClaims: 2, claimsDecidedForSeller: 1 };
    const result = assess({ buyer });
    expect(result.reasons[0].message).toMatch(
      /2 earlier not-received claims \(1 decided for the seller on the delivery proof\)/,
    );
  });

  it('makes the order HIGH on claims filed by others shipping to the same address', () => {
    const result = assess({
      shipTo: { ...input().shipTo, otherBuyersClaims: 1, distinctBuyers: 2 },
    });
    expect(codes(result)).toEqual([Code.PRIOR_NOT_RECEIVED_CLAIMS]);
    expect(result.reasons[0].message).toMatch(/other buyers shipping to this address/i);
    expect(result.level).toBe(RiskLevel.HIGH);
  });
});

describe('weighted signals', () => {
  const cases: Array<[Code, Partial<RiskInput>]> = [
    [Code.ADDRESS_CHANGED_AFTER_CHECKOUT, { addressChangedAfterCheckout: true }],
    [Code.PLATFORM_HOLD, { onHold: true }],
    [Code.SHARED_SHIP_TO, { shipTo: { ...input().shipTo, distinctBuyers: 3 } }],
    [
      Code.RESHIPPER_ADDRESS,
      { shipTo: { ...input().shipTo, line1: '7800 Cargo Terminal Rd', postalCode: '33172' } },
    ],
    [Code.BILLING_SHIPPING_MISMATCH, { billing: { region: 'CA', country: 'US' } }],
  ];

  it.each(cases)(
    '%s fires alone with its weight and leaves the order ELEVATED',
    (code, overrides) => {
      const result = assess(overrides);
      expect(result.reasons).toEqual([expect.objectContaining({ code, weight: WEIGHTS[code] })]);
      expect(result.score).toBe(WEIGHTS[code]);
      expect(result.level).toBe(RiskLevel.ELEVATED);
      expect(result.recommendedSignature).toBe(SignatureOption.NONE);
    },
  );

  it('adds weights up to HIGH at the recommend score (25 + 20 ≥ 40)', () => {
    const result = assess({ addressChangedAfterCheckout: true, onHold: true });
    expect(result.score).toBe(45);
    expect(result.level).toBe(RiskLevel.HIGH);
    expect(result.recommendedSignature).toBe(SignatureOption.SIGNATURE_REQUIRED);
  });

  it("follows the seller's own recommend score", () => {
    const flags = { addressChangedAfterCheckout: true, onHold: true };
    expect(assess(flags, { recommendScore: 50 }).level).toBe(RiskLevel.ELEVATED);
    expect(assess({ onHold: true }, { recommendScore: 20 }).level).toBe(RiskLevel.HIGH);
  });

  it('caps the score at 100', () => {
    const result = assess({
      totalMinor: 80_000,
      buyer: { accountAgeDays: 2, notReceivedClaims: 1, claimsDecidedForSeller: 0 },
      addressChangedAfterCheckout: true,
      onHold: true,
      shippingSpeed: ShippingSpeed.OVERNIGHT,
      shipTo: { ...input().shipTo, distinctBuyers: 4 },
      billing: { region: 'CA', country: 'US' },
    });
    expect(result.score).toBe(100);
    expect(result.reasons.length).toBeGreaterThan(5);
  });

  it('treats two buyers at one address as normal (a household) and three as shared', () => {
    expect(codes(assess({ shipTo: { ...input().shipTo, distinctBuyers: 2 } }))).toEqual([]);
  });

  it('sees a billing address abroad as a mismatch even with the same region code', () => {
    expect(codes(assess({ billing: { region: 'MA', country: 'CA' } }))).toEqual([
      Code.BILLING_SHIPPING_MISMATCH,
    ]);
  });
});

describe('new-account rules', () => {
  const young = { accountAgeDays: 29, notReceivedClaims: 0, claimsDecidedForSeller: 0 };
  const old = { accountAgeDays: 30, notReceivedClaims: 0, claimsDecidedForSeller: 0 };

  it('NEW_BUYER_LARGE_ORDER: an account under 30 days with an order from 250.00', () => {
    expect(codes(assess({ buyer: young, totalMinor: 25_000 }))).toEqual([
      Code.ORDER_VALUE_ELEVATED,
      Code.NEW_BUYER_LARGE_ORDER,
    ]);
    expect(codes(assess({ buyer: old, totalMinor: 25_000 }))).toEqual([Code.ORDER_VALUE_ELEVATED]);
    expect(codes(assess({ buyer: young, totalMinor: 24_999 }))).toEqual([]);
  });

  it('RUSH_SHIPPING_NEW_ACCOUNT: expedited or overnight on a young account only', () => {
    expect(codes(assess({ buyer: young, shippingSpeed: ShippingSpeed.EXPEDITED }))).toEqual([
      Code.RUSH_SHIPPING_NEW_ACCOUNT,
    ]);
    expect(codes(assess({ buyer: old, shippingSpeed: ShippingSpeed.OVERNIGHT }))).toEqual([]);
    expect(codes(assess({ buyer: young, shippingSpeed: ShippingSpeed.STANDARD }))).toEqual([]);
  });

  it("follows the seller's own new-account age", () => {
    const rush = { buyer: old, shippingSpeed: ShippingSpeed.OVERNIGHT };
    expect(codes(assess(rush, { newAccountDays: 60 }))).toEqual([Code.RUSH_SHIPPING_NEW_ACCOUNT]);
    expect(codes(assess({ ...rush, buyer: young }, { newAccountDays: 0 }))).toEqual([]);
  });
});

describe('reshipper markers', () => {
  it('match forwarder warehouses and customer-id tags, not ordinary homes', () => {
    expect(
      matchReshipper({ line1: '1250 harbor  logistics way', line2: null, postalCode: '19801' })
        ?.kind,
    ).toBe('WAREHOUSE');
    expect(
      matchReshipper({ line1: '9 Elm St', line2: 'Ste 4 #MX-40917', postalCode: '10001' })?.kind,
    ).toBe('CUSTOMER_ID');
    expect(matchReshipper({ line1: '9 Elm St', line2: 'Apt 4', postalCode: '10001' })).toBeNull();
    expect(RESHIPPER_MARKERS.length).toBeGreaterThan(0);
  });
});

describe('threshold validation', () => {
  it('accepts the defaults', () => {
    expect(thresholdProblems({ ...DEFAULT_RISK_THRESHOLDS })).toEqual([]);
  });

  it('refuses an elevated threshold at or above the high one, and out-of-range values', () => {
    const problems = thresholdProblems({
      highValueMinor: 50_000,
      elevatedValueMinor: 50_000,
      recommendScore: 101,
      newAccountDays: -1,
    });
    expect(problems.map((p) => p.field)).toEqual([
      'elevatedValueMinor',
      'recommendScore',
      'newAccountDays',
    ]);
  });
});
