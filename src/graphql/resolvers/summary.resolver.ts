import { money } from '../../core/money';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { SellerSignatureSummaryType } from '../types/summary.type';

@Resolver(() => SellerSignatureSummaryType)
export class SellerSummaryResolver {
  @Query(() => SellerSignatureSummaryType, {
    description:
      'Your signature confirmation over a period: high-risk orders labeled and how many with a signature, recommendations declined, fees spent net of refunds (sellers only).',
  })
  async sellerSignatureSummary(
    @Arg('from', () => Date, { description: 'Start of the period (inclusive).' }) from: Date,
    @Arg('to', () => Date, { description: 'End of the period (exclusive).' }) to: Date,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SellerSignatureSummaryType> {
    const s = await ctx.services.sellerSummary.signatureSummary(ctx, from, to);
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
      feesSpent: money(s.feesMinor, s.currency),
      byOption: s.byOption.map((b) => ({
        option: b.option,
        labels: b.labels,
        fees: money(b.feesMinor, s.currency),
      })),
    };
  }
}
