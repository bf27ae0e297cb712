import { money } from '../../core/money';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { SignatureSummary } from '../../services/seller-summary.service';
import type { GraphQLContext } from '../context';
import { SellerSignatureSummaryType } from '../types/summary.type';

function summaryOf(s: SignatureSummary): SellerSignatureSummaryType {
  const m = (minor: number) => money(minor, s.currency);
  return {
    from: s.from,
    to: s.to,
    labelsPurchased: s.labels,
    highRiskOrdersLabeled: s.highRiskLabeled,
    highRiskOrdersWithSignature: s.highRiskWithSignature,
    signatureCoverage: s.highRiskLabeled > 0 ? s.highRiskWithSignature / s.highRiskLabeled : null,
    recommendationsMade: s.recommendationsMade,
    recommendationsAccepted: s.recommendationsAccepted,
    recommendationsDeclined: s.recommendationsDeclined,
    recommendationsChanged: s.recommendationsChanged,
    feesSpent: m(s.feesMinor),
    byOption: s.byOption.map((b) => ({ option: b.option, labels: b.labels, fees: m(b.feesMinor) })),
    claims: {
      onSignedLabels: s.claims.onSignedLabels,
      onUnsignedLabels: s.claims.onUnsignedLabels,
      refundedOnSignedLabels: m(s.claims.refundedOnSignedMinor),
      refundedOnUnsignedLabels: m(s.claims.refundedOnUnsignedMinor),
      declinedRecommendations: s.claims.declinedRecommendations,
      declinedRecommendationsRefunded: s.claims.declinedRecommendationsRefunded,
      declinedRecommendationsCost: m(s.claims.declinedRecommendationsRefundMinor),
    },
  };
}

@Resolver(() => SellerSignatureSummaryType)
export class SellerSummaryResolver {
  @Query(() => SellerSignatureSummaryType, {
    description:
      'Your signature confirmation over a period: high-risk orders labeled and how many with a signature, recommendations declined, fees spent net of refunds, and the not-received claims that followed (sellers only).',
  })
  async sellerSignatureSummary(
    @Arg('from', () => Date, { description: 'Start of the period (inclusive).' }) from: Date,
    @Arg('to', () => Date, { description: 'End of the period (exclusive).' }) to: Date,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SellerSignatureSummaryType> {
    return summaryOf(await ctx.services.sellerSummary.signatureSummary(ctx, from, to));
  }

  @Query(() => SellerSignatureSummaryType, {
    description:
      'The same summary across every seller of the platform: coverage, recommendations, fees and the claims that followed (platform staff only).',
  })
  async platformSignatureSummary(
    @Arg('from', () => Date, { description: 'Start of the period (inclusive).' }) from: Date,
    @Arg('to', () => Date, { description: 'End of the period (exclusive).' }) to: Date,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SellerSignatureSummaryType> {
    return summaryOf(await ctx.services.sellerSummary.platformSummary(ctx, from, to));
  }
}
