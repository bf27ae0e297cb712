import type { SellerRiskSettings } from '../../entities';

/**
 * Currency of the value thresholds: the marketplace currency. Orders in another currency cannot
 * be compared with them, so the value rules skip those orders.
 */
export const THRESHOLD_CURRENCY = 'USD';

/**
 * A seller's risk thresholds (value thresholds in THRESHOLD_CURRENCY). The defaults:
 * - USD 750: from this order total (shipping and tax included) eBay protects a seller against an
 *   "item not received" case only with signature confirmation
 *   (https://www.ebay.com/help/selling/managing-returns-refunds/helping-buyers-items-not-received?id=4116);
 *   PayPal's User Agreement sets the same USD 750 signature threshold for its Seller Protection.
 * - USD 250: from here marketplaces stop absorbing not-received losses themselves; Etsy Purchase
 *   Protection covers orders below USD 250 only
 *   (https://help.etsy.com/hc/en-us/articles/5850122619287-What-is-Etsy-s-Purchase-Protection-for-Sellers-),
 *   and PayPal's earlier Seller Protection asked for a signature from USD 250.
 * - 40: the weighted score (rules.ts WEIGHTS) from which a signature is recommended: one strong
 *   signal (50) is enough on its own, weaker ones (10 to 25) only together.
 */
export interface RiskThresholds {
  /** Order total (minor units) at or above which the order is HIGH and a signature recommended. */
  highValueMinor: number;
  /** Order total (minor units) at or above which the order value adds weight. */
  elevatedValueMinor: number;
  /** Weighted score at or above which the order is HIGH and a signature recommended. */
  recommendScore: number;
  /** Buyer accounts younger than this many days count as new. */
  newAccountDays: number;
}

export const DEFAULT_RISK_THRESHOLDS: Readonly<RiskThresholds> = Object.freeze({
  highValueMinor: 75_000,
  elevatedValueMinor: 25_000,
  recommendScore: 40,
  newAccountDays: 30,
});

/** The thresholds a seller's settings row holds, or the defaults when the seller has none. */
export function thresholdsOf(row: SellerRiskSettings | null | undefined): RiskThresholds {
  if (!row) return { ...DEFAULT_RISK_THRESHOLDS };
  return {
    highValueMinor: row.highValueMinor,
    elevatedValueMinor: row.elevatedValueMinor,
    recommendScore: row.recommendScore,
    newAccountDays: row.newAccountDays,
  };
}

/** Accepted ranges; outside them a threshold is a mistake rather than a policy. */
export const THRESHOLD_LIMITS = {
  /** USD 1.00 – USD 1,000,000.00. */
  valueMinor: { min: 100, max: 100_000_000 },
  recommendScore: { min: 1, max: 100 },
  newAccountDays: { min: 0, max: 3650 },
} as const;

export interface ThresholdProblem {
  field: keyof RiskThresholds;
  message: string;
}

/** Every range problem of a complete set of thresholds; empty when valid. */
export function thresholdProblems(t: RiskThresholds): ThresholdProblem[] {
  const problems: ThresholdProblem[] = [];
  const { valueMinor, recommendScore, newAccountDays } = THRESHOLD_LIMITS;
  const within = (value: number, range: { min: number; max: number }) =>
    Number.isInteger(value) && value >= range.min && value <= range.max;
  if (!within(t.highValueMinor, valueMinor)) {
    problems.push({ field: 'highValueMinor', message: 'must be between 1.00 and 1000000.00' });
  }
  if (!within(t.elevatedValueMinor, valueMinor)) {
    problems.push({ field: 'elevatedValueMinor', message: 'must be between 1.00 and 1000000.00' });
  } else if (t.elevatedValueMinor >= t.highValueMinor) {
    problems.push({
      field: 'elevatedValueMinor',
      message: 'must be below the high-value threshold',
    });
  }
  if (!within(t.recommendScore, recommendScore)) {
    problems.push({ field: 'recommendScore', message: 'must be a whole number from 1 to 100' });
  }
  if (!within(t.newAccountDays, newAccountDays)) {
    problems.push({ field: 'newAccountDays', message: 'must be a whole number from 0 to 3650' });
  }
  return problems;
}
