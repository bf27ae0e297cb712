/**
 * What a signature option is worth to the seller, put as plainly as the data allows: the fee
 * beside what a refunded not-received claim would cost, and — only where the platform's own
 * claim history is large enough to say — how often such claims happen. Pure.
 */

/** Labels on comparable orders (same risk level, signed or unsigned alike) and their claims. */
export interface ClaimHistory {
  labels: number;
  claims: number;
}

/** Below this many comparable labels the observed claim rate is noise: no probability is given. */
export const MIN_HISTORY_LABELS = 20;

export interface ExpectedValue {
  /** The option's fee. */
  feeMinor: number;
  /** What the buyer paid: what a refunded not-received claim gives back. */
  orderValueMinor: number;
  /** What a not-received claim would cost the seller with this option: 0 when protected. */
  valueAtRiskMinor: number;
  /** Share of comparable labels that got a not-received claim; null without enough history. */
  claimProbability: number | null;
  /** claimProbability × valueAtRisk, rounded to a minor unit; null without a probability. */
  expectedLossMinor: number | null;
  /** fee + expectedLoss: compare options by it; null without a probability. */
  expectedCostMinor: number | null;
  /** Comparable labels the probability was computed from. */
  sampleSize: number;
  /** What the figures are computed from, in words. */
  basis: string;
}

export interface ExpectedValueInput {
  feeMinor: number;
  orderValueMinor: number;
  protected: boolean;
  /** Risk level of the order (LOW / ELEVATED / HIGH), named in the basis. */
  riskLevel: string | null;
  signed: boolean;
  history: ClaimHistory;
}

export function expectedValue(input: ExpectedValueInput): ExpectedValue {
  const valueAtRiskMinor = input.protected ? 0 : input.orderValueMinor;
  const { labels, claims } = input.history;
  const enough = labels >= MIN_HISTORY_LABELS;
  const claimProbability = enough ? claims / labels : null;
  const expectedLossMinor =
    claimProbability === null ? null : Math.round(claimProbability * valueAtRiskMinor);
  const kind = input.signed ? 'signed' : 'unsigned';
  const level = input.riskLevel ?? 'unassessed';
  const risk =
    `Value at risk is the order total when a not-received claim would not be protected ` +
    `(see protection), 0 when it would.`;
  const probability = enough
    ? ` Claim probability: ${claims} not-received claims on ${labels} ${kind} labels of ` +
      `${level}-risk orders on this platform.`
    : ` No claim probability: only ${labels} ${kind} labels of ${level}-risk orders so far ` +
      `(at least ${MIN_HISTORY_LABELS} needed).`;
  return {
    feeMinor: input.feeMinor,
    orderValueMinor: input.orderValueMinor,
    valueAtRiskMinor,
    claimProbability,
    expectedLossMinor,
    expectedCostMinor: expectedLossMinor === null ? null : input.feeMinor + expectedLossMinor,
    sampleSize: labels,
    basis: risk + probability,
  };
}
