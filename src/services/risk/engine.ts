import { RiskLevel, SignatureOption } from '../../entities/enums';
import type { RiskReason } from '../../entities/risk-assessment.entity';
import { RULES } from './rules';
import type { RiskInput } from './rules';
import type { RiskThresholds } from './settings';

/**
 * Stored on every assessment. Bump it whenever a rule, weight or message changes, so an old
 * recommendation can be read against the rules that produced it.
 */
// 2026-12.2: claims come from the claims table (buyer and address history), and the message
// names how many the seller won on the proof.
export const RULESET_VERSION = '2026-12.2';

export interface RiskResult {
  score: number;
  level: RiskLevel;
  reasons: RiskReason[];
  recommendedSignature: SignatureOption;
}

/**
 * Deterministic: the same input and thresholds always give the same result.
 * - score: the sum of the weights of the rules that fired, at most 100;
 * - HIGH when a deciding rule fired (value at or over the high threshold, earlier claims,
 *   age-restricted goods) or the
 *   score reaches the seller's recommend score; ELEVATED when anything fired; else LOW;
 * - recommended: adult signature for age-restricted goods whatever the level, a signature for
 *   HIGH orders, otherwise none.
 */
export function assessRisk(input: RiskInput, thresholds: RiskThresholds): RiskResult {
  const hits = RULES.map((rule) => rule(input, thresholds)).filter((h) => h !== null);
  const score = Math.min(
    100,
    hits.reduce((sum, h) => sum + h.weight, 0),
  );
  const required = hits.find((h) => h.requires)?.requires;
  const high = hits.some((h) => h.forcesHigh) || score >= thresholds.recommendScore;
  const level = high ? RiskLevel.HIGH : hits.length > 0 ? RiskLevel.ELEVATED : RiskLevel.LOW;
  const recommendedSignature =
    required ?? (high ? SignatureOption.SIGNATURE_REQUIRED : SignatureOption.NONE);
  return {
    score,
    level,
    reasons: hits.map(({ code, message, weight }) => ({ code, message, weight })),
    recommendedSignature,
  };
}
