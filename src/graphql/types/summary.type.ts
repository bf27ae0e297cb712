import { Field, Float, Int, ObjectType } from 'type-graphql';
import { SignatureOption } from '../../entities/enums';
import { Money } from './money.type';

@ObjectType('SignatureOptionSummary', { description: 'Labels and fees of one signature option.' })
export class SignatureOptionSummaryType {
  @Field(() => SignatureOption, { description: 'The option.' })
  option!: SignatureOption;
  @Field(() => Int, { description: 'Labels bought with it in the period and not voided.' })
  labels!: number;
  @Field(() => Money, { description: 'Its fees in the period, net of refunds.' })
  fees!: Money;
}

@ObjectType('SignatureClaimOutcomes', {
  description:
    'Not-received claims filed in the period on labelled orders: on signed and on unsigned labels, what the refunds cost, and the recommendations declined that became claims.',
})
export class SignatureClaimOutcomesType {
  @Field(() => Int, { description: 'Claims on labels that carried a signature option.' })
  onSignedLabels!: number;
  @Field(() => Int, { description: 'Claims on labels bought without a signature.' })
  onUnsignedLabels!: number;
  @Field(() => Money, { description: 'Refunds on claims against signed labels.' })
  refundedOnSignedLabels!: Money;
  @Field(() => Money, { description: 'Refunds on claims against unsigned labels.' })
  refundedOnUnsignedLabels!: Money;
  @Field(() => Int, {
    description:
      'Claims on labels bought with no signature although one was recommended (decision DECLINED).',
  })
  declinedRecommendations!: number;
  @Field(() => Int, { description: 'Of those, how many ended in a refund.' })
  declinedRecommendationsRefunded!: number;
  @Field(() => Money, {
    description: 'What those declined recommendations cost: the refunds paid on their claims.',
  })
  declinedRecommendationsCost!: Money;
}

@ObjectType('SellerSignatureSummary', {
  description:
    'Signature confirmation over a period, for the dashboard: coverage of high-risk orders, what happened to the recommendations, and what it cost.',
})
export class SellerSignatureSummaryType {
  @Field({ description: 'Start of the period (inclusive).' })
  from!: Date;
  @Field({ description: 'End of the period (exclusive).' })
  to!: Date;
  @Field(() => Int, { description: 'Labels bought in the period and not voided.' })
  labelsPurchased!: number;
  @Field(() => Int, {
    description: 'Of those, labels for orders that were HIGH risk when quoted.',
  })
  highRiskOrdersLabeled!: number;
  @Field(() => Int, { description: 'Of the high-risk ones, how many carry a signature option.' })
  highRiskOrdersWithSignature!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'highRiskOrdersWithSignature / highRiskOrdersLabeled, 0 to 1; null when none.',
  })
  signatureCoverage!: number | null;
  @Field(() => Int, { description: 'Labels for which a signature option was recommended.' })
  recommendationsMade!: number;
  @Field(() => Int, { description: 'Of those, bought with the recommended option.' })
  recommendationsAccepted!: number;
  @Field(() => Int, { description: 'Of those, bought with no signature.' })
  recommendationsDeclined!: number;
  @Field(() => Int, { description: 'Of those, bought with another signature option.' })
  recommendationsChanged!: number;
  @Field(() => Money, { description: 'Signature fees in the period, net of refunds.' })
  feesSpent!: Money;
  @Field(() => [SignatureOptionSummaryType], { description: 'Labels and fees per option.' })
  byOption!: SignatureOptionSummaryType[];
  @Field(() => SignatureClaimOutcomesType, {
    description: 'Not-received claims filed in the period and what they cost.',
  })
  claims!: SignatureClaimOutcomesType;
}
