import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ProtectionExclusionCode } from '../../services/protection/rules';
import { money } from '../../core/money';
import type { ExpectedValue } from '../../services/protection/expected-value';
import { Money } from './money.type';

registerEnumType(ProtectionExclusionCode, {
  name: 'ProtectionExclusionCode',
  description: 'Why a not-received claim would not be protected.',
  valuesConfig: {
    NO_SIGNATURE_HIGH_VALUE: {
      description:
        'No signature on an order at or above the signature threshold (USD 750 with shipping and tax; eBay signature confirmation policy).',
    },
    ADULT_SIGNATURE_REQUIRED: {
      description: 'Age-restricted goods without Adult Signature Required (21+).',
    },
    FORWARDER_ADDRESS: {
      description: "The ship-to is a parcel forwarder: a signature there is the forwarder's.",
    },
    ADDRESS_CHANGED_AFTER_LABEL: {
      description: "The order's ship-to changed after the label was bought.",
    },
    SIGNATURE_NOT_CAPTURED: {
      description: 'A signature was bought but the carrier delivered without one.',
    },
    SIGNER_MISMATCH: { description: "The signer's name does not match the recipient's." },
    ADULT_ID_NOT_VERIFIED: {
      description: 'Adult signature was bought but no ID check showing 21+ was reported.',
    },
  },
});

@ObjectType('ProtectionExclusion', { description: 'One reason a claim would not be protected.' })
export class ProtectionExclusionType {
  @Field(() => ProtectionExclusionCode, { description: 'The reason, as a code.' })
  code!: ProtectionExclusionCode;
  @Field({ description: 'The reason, in words, citing the rule.' })
  message!: string;
}

@ObjectType('SellerProtection', {
  description:
    "Whether a buyer's not-received claim would be decided for the seller (the marketplaces' item-not-received protection), and if not, why.",
})
export class SellerProtectionType {
  @Field({ description: 'True when no exclusion applies.' })
  protected!: boolean;
  @Field(() => [ProtectionExclusionType], { description: 'Why not; empty when protected.' })
  exclusions!: ProtectionExclusionType[];
  @Field({ description: 'Version of the protection rules that decided it.' })
  rulesVersion!: string;
}

@ObjectType('SignatureExpectedValue', {
  description:
    'What a signature option is worth: its fee beside what a not-received claim would cost. A claim probability is given only where the platform has enough comparable labels (basis says which).',
})
export class SignatureExpectedValueType {
  @Field(() => Money, { description: "The option's fee." })
  fee!: Money;
  @Field(() => Money, { description: 'What the buyer paid: what a refunded claim gives back.' })
  orderValue!: Money;
  @Field(() => Money, {
    description:
      'What a not-received claim would cost with this option: the order value when it would not be protected, 0 when it would.',
  })
  valueAtRisk!: Money;
  @Field(() => Float, {
    nullable: true,
    description:
      'Share (0 to 1) of labels of orders at the same risk level, signed or unsigned like this option, that got a not-received claim; null without enough history.',
  })
  claimProbability!: number | null;
  @Field(() => Money, {
    nullable: true,
    description: 'claimProbability × valueAtRisk; null without a probability.',
  })
  expectedLoss!: Money | null;
  @Field(() => Money, {
    nullable: true,
    description: 'fee + expectedLoss: the figure to compare options by; null without one.',
  })
  expectedCost!: Money | null;
  @Field(() => Int, { description: 'Comparable labels the probability comes from.' })
  sampleSize!: number;
  @Field({ description: 'What the figures are computed from, in words.' })
  basis!: string;
}

/** The domain's expected value (minor units) as the schema shows it. */
export function expectedValueOf(ev: ExpectedValue, currency: string): SignatureExpectedValueType {
  const m = (minor: number | null) => (minor === null ? null : money(minor, currency));
  return {
    fee: money(ev.feeMinor, currency),
    orderValue: money(ev.orderValueMinor, currency),
    valueAtRisk: money(ev.valueAtRiskMinor, currency),
    claimProbability: ev.claimProbability,
    expectedLoss: m(ev.expectedLossMinor),
    expectedCost: m(ev.expectedCostMinor),
    sampleSize: ev.sampleSize,
    basis: ev.basis,
  };
}
