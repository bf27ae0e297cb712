import type { RequestContext } from '../core/request-context';
import { Claim, Label, SignatureDecision } from '../entities';
import {
  LabelStatus,
  RiskLevel,
  SignatureDecisionOutcome,
  SignatureOption,
} from '../entities/enums';
import { badInput } from '../core/errors';
import type { ServiceDeps } from './deps';
import { requireAdmin, requireSeller } from '../auth/guards';
import { SIGNATURE_OPTION_ORDER } from './label-rules';

export interface OptionBreakdown {
  option: SignatureOption;
  /** Labels bought in the period with this option and not voided. */
  labels: number;
  /** Signature fees of those labels, net of refunds in the period (minor units). */
  feesMinor: number;
}

/**
 * Not-received claims filed in the period on labelled orders, by whether the label carried a
 * signature, and the ones on labels where the seller declined a recommended signature: what
 * they cost in refunds (minor units).
 */
export interface ClaimOutcomes {
  onSignedLabels: number;
  onUnsignedLabels: number;
  refundedOnSignedMinor: number;
  refundedOnUnsignedMinor: number;
  /** Claims on labels bought without the signature that was recommended. */
  declinedRecommendations: number;
  /** Of those, how many ended in a refund, and the refunds' sum. */
  declinedRecommendationsRefunded: number;
  declinedRecommendationsRefundMinor: number;
}

export interface SignatureSummary {
  from: Date;
  to: Date;
  currency: string;
  labels: number;
  highRiskLabeled: number;
  highRiskWithSignature: number;
  recommendationsMade: number;
  recommendationsAccepted: number;
  recommendationsDeclined: number;
  recommendationsChanged: number;
  feesMinor: number;
  byOption: OptionBreakdown[];
  claims: ClaimOutcomes;
}

/** Whose labels: one seller's, or (staff) the whole platform's. */
type Scope = { sellerId: number } | { platform: true };

const count = (value: unknown) => Number(value ?? 0);

/**
 * What a seller wants on the dashboard about signatures in a period: how many HIGH-risk orders
 * they labeled and how many of those went with a signature, what they did with the
 * recommendations, what the fees cost net of refunds, and the not-received claims that followed
 * (signed or not, and the declined recommendations that became claims and what they cost).
 * Staff get the same across the platform. Three aggregate statements.
 */
export class SellerSummaryService {
  constructor(private readonly deps: ServiceDeps) {}

  async signatureSummary(ctx: RequestContext, from: Date, to: Date): Promise<SignatureSummary> {
    const { sellerId } = requireSeller(ctx);
    return this.summarize({ sellerId }, from, to);
  }

  /** The same summary across every seller, for platform staff. */
  async platformSummary(ctx: RequestContext, from: Date, to: Date): Promise<SignatureSummary> {
    requireAdmin(ctx);
    return this.summarize({ platform: true }, from, to);
  }

  /** Three aggregate statements, whatever the number of labels and claims. */
  private async summarize(scope: Scope, from: Date, to: Date): Promise<SignatureSummary> {
    if (!(from.getTime() < to.getTime())) throw badInput('from must be before to', 'from');
    const sellerId = 'sellerId' in scope ? scope.sellerId : null;
    // Staff: every seller (the condition holds for all rows).
    const ofSeller = (alias: string) =>
      sellerId === null ? '1 = 1' : `"${alias}"."sellerId" = :sellerId`;
    const range = { sellerId, from: from.toISOString(), to: to.toISOString() };
    const manager = this.deps.db.manager;
    const when = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

    // Decisions of labels bought in the period that still stand, with the risk level the
    // quote was made against.
    const decisions = await manager
      .createQueryBuilder(SignatureDecision, 'd')
      .innerJoin(Label, 'l', '"l"."id" = "d"."labelId"')
      .leftJoin('risk_assessments', 'ra', '"ra"."id" = "d"."riskAssessmentId"')
      .select('COUNT(*)', 'labels')
      .addSelect(when('"ra"."level" = :high'), 'highRisk')
      .addSelect(when('"ra"."level" = :high AND "d"."chosen" <> :none'), 'highRiskSigned')
      .addSelect(when('"d"."recommended" <> :none'), 'made')
      .addSelect(when('"d"."outcome" = :accepted'), 'accepted')
      .addSelect(when('"d"."outcome" = :declined'), 'declined')
      .addSelect(when('"d"."outcome" = :changed'), 'changed')
      .where(ofSeller('d'))
      .andWhere('"d"."createdAt" >= :from AND "d"."createdAt" < :to')
      .andWhere('"l"."status" = :purchased')
      .setParameters({
        ...range,
        high: RiskLevel.HIGH,
        none: SignatureOption.NONE,
        accepted: SignatureDecisionOutcome.ACCEPTED,
        declined: SignatureDecisionOutcome.DECLINED,
        changed: SignatureDecisionOutcome.CHANGED,
        purchased: LabelStatus.PURCHASED,
      })
      .getRawOne<Record<string, unknown>>();

    // Fees by option: charged for labels bought in the period, less refunds for labels voided
    // in the period (a void refunds the fee in full).
    const bought = '"l"."createdAt" >= :from AND "l"."createdAt" < :to';
    const voided = '"l"."voidedAt" >= :from AND "l"."voidedAt" < :to';
    const byOption = await manager
      .createQueryBuilder(Label, 'l')
      .select('"l"."signatureOption"', 'option')
      .addSelect('MAX("l"."currency")', 'currency')
      .addSelect(when(`${bought} AND "l"."status" = :purchased`), 'labels')
      .addSelect(
        `SUM(CASE WHEN ${bought} THEN "l"."signatureFeeMinor" ELSE 0 END) - ` +
          `SUM(CASE WHEN ${voided} THEN "l"."signatureFeeMinor" ELSE 0 END)`,
        'fees',
      )
      .where(ofSeller('l'))
      .andWhere(`((${bought}) OR (${voided}))`)
      .groupBy('"l"."signatureOption"')
      .setParameters({ ...range, purchased: LabelStatus.PURCHASED })
      .getRawMany<{ option: SignatureOption; currency: string; labels: unknown; fees: unknown }>();

    const claims = await this.claimOutcomes(ofSeller('c'), range);

    const rows = new Map(byOption.map((r) => [r.option, r]));
    const breakdown = SIGNATURE_OPTION_ORDER.map((option) => ({
      option,
      labels: count(rows.get(option)?.labels),
      feesMinor: count(rows.get(option)?.fees),
    }));
    return {
      from,
      to,
      currency: byOption[0]?.currency ?? 'USD',
      labels: count(decisions?.labels),
      highRiskLabeled: count(decisions?.highRisk),
      highRiskWithSignature: count(decisions?.highRiskSigned),
      recommendationsMade: count(decisions?.made),
      recommendationsAccepted: count(decisions?.accepted),
      recommendationsDeclined: count(decisions?.declined),
      recommendationsChanged: count(decisions?.changed),
      feesMinor: breakdown.reduce((sum, b) => sum + b.feesMinor, 0),
      byOption: breakdown,
      claims,
    };
  }

  /** Claims filed in the period on labelled orders, by the label's signature and decision. */
  private async claimOutcomes(
    ofSeller: string,
    range: { sellerId: number | null; from: string; to: string },
  ): Promise<ClaimOutcomes> {
    const signed = '"l"."signatureOption" <> :none';
    const unsigned = '"l"."signatureOption" = :none';
    const declined = '"d"."outcome" = :declined';
    const refunded = '"c"."refundMinor" IS NOT NULL';
    const when = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
    const refunds = (condition: string) =>
      `SUM(CASE WHEN ${condition} AND ${refunded} THEN "c"."refundMinor" ELSE 0 END)`;
    const row = await this.deps.db.manager
      .createQueryBuilder(Claim, 'c')
      .innerJoin(Label, 'l', '"l"."id" = "c"."labelId"')
      .leftJoin(SignatureDecision, 'd', '"d"."labelId" = "l"."id"')
      .select(when(signed), 'onSigned')
      .addSelect(when(unsigned), 'onUnsigned')
      .addSelect(refunds(signed), 'refundedSigned')
      .addSelect(refunds(unsigned), 'refundedUnsigned')
      .addSelect(when(declined), 'declined')
      .addSelect(when(`${declined} AND ${refunded}`), 'declinedRefunded')
      .addSelect(refunds(declined), 'declinedRefund')
      .where(ofSeller)
      .andWhere('"c"."filedAt" >= :from AND "c"."filedAt" < :to')
      .setParameters({
        ...range,
        none: SignatureOption.NONE,
        declined: SignatureDecisionOutcome.DECLINED,
      })
      .getRawOne<Record<string, unknown>>();
    return {
      onSignedLabels: count(row?.onSigned),
      onUnsignedLabels: count(row?.onUnsigned),
      refundedOnSignedMinor: count(row?.refundedSigned),
      refundedOnUnsignedMinor: count(row?.refundedUnsigned),
      declinedRecommendations: count(row?.declined),
      declinedRecommendationsRefunded: count(row?.declinedRefunded),
      declinedRecommendationsRefundMinor: count(row?.declinedRefund),
    };
  }
}
