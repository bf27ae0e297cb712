import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Order as OrderEntity, RiskAssessment as RiskAssessmentEntity } from '../../entities';
import { RiskLevel, SignatureOption } from '../../entities/enums';
import { RiskReasonCode } from '../../services/risk/reason-codes';
import { Money } from './money.type';
import { OrderType } from './order.type';
import { UserErrorInterface } from './user-error.type';

registerEnumType(RiskReasonCode, {
  name: 'RiskReasonCode',
  description: 'A rule of the risk engine that fired for an order.',
  valuesConfig: {
    AGE_RESTRICTED_ITEM: {
      description:
        'An age-restricted item (alcohol, tobacco, vape): HIGH, and adult signature (21+) is recommended.',
    },
    ORDER_VALUE_HIGH: {
      description: "Total at or above the seller's high-value threshold (default USD 750): HIGH.",
    },
    PRIOR_NOT_RECEIVED_CLAIMS: {
      description:
        'The buyer, or others shipping to the same address, filed not-received claims: HIGH.',
    },
    ORDER_VALUE_ELEVATED: {
      description: 'Total at or above the elevated threshold (default USD 250).',
    },
    ADDRESS_CHANGED_AFTER_CHECKOUT: {
      description: 'The ship-to address was changed after payment.',
    },
    PLATFORM_HOLD: { description: 'The platform put the order on hold.' },
    NEW_BUYER_LARGE_ORDER: {
      description: 'A new account placing an order at or above the elevated threshold.',
    },
    SHARED_SHIP_TO: { description: 'Three or more different buyers ship to this address.' },
    RESHIPPER_ADDRESS: { description: 'The ship-to address looks like a parcel forwarder.' },
    RUSH_SHIPPING_NEW_ACCOUNT: { description: 'Expedited or overnight shipping on a new account.' },
    BILLING_SHIPPING_MISMATCH: {
      description: 'Billing and ship-to addresses are in different states or countries.',
    },
  },
});

@ObjectType('RiskReason', {
  simpleResolvers: true,
  description: 'Why the risk engine flagged an order.',
})
export class RiskReasonType {
  @Field(() => RiskReasonCode, { description: 'The rule that fired.' })
  code!: RiskReasonCode;
  @Field({ description: 'What the rule saw, in words, with the figures it compared.' })
  message!: string;
  @Field(() => Int, {
    description: 'What the rule added to the score (0 for a rule that decides on its own).',
  })
  weight!: number;
}

@ObjectType('RiskAssessment', {
  simpleResolvers: true,
  description:
    "The order's latest risk assessment: deterministic, explainable, stored with its inputs and rule-set version.",
})
export class RiskAssessmentType {
  @Field(() => Int, { description: 'Sum of the weights of the rules that fired, 0 to 100.' })
  score!: number;
  @Field(() => RiskLevel, { description: 'LOW, ELEVATED or HIGH.' })
  level!: RiskLevel;
  @Field(() => [RiskReasonType], { description: 'The rules that fired, deciding rules first.' })
  reasons!: RiskReasonType[];
  @Field(() => SignatureOption, {
    description: 'The signature option recommended for the label (NONE: no recommendation).',
  })
  recommendedSignature!: SignatureOption;
  @Field({ description: 'Version of the rule set that produced this assessment.' })
  rulesetVersion!: string;
}

@ObjectType('RiskSettings', {
  description:
    "A seller's thresholds for the risk rules; the defaults until the seller changes them.",
})
export class RiskSettingsType {
  @Field(() => Money, {
    description:
      'Order total from which an order is HIGH and a signature recommended (default 750.00).',
  })
  highValueThreshold!: Money;
  @Field(() => Money, {
    description: 'Order total from which the value adds weight (default 250.00).',
  })
  elevatedValueThreshold!: Money;
  @Field(() => Int, {
    description:
      'Weighted score from which an order is HIGH and a signature recommended (default 40).',
  })
  recommendScore!: number;
  @Field(() => Int, {
    description: 'Buyer accounts younger than this many days are new (default 30).',
  })
  newAccountDays!: number;
  @Field({
    description:
      'Whether Countersign answers not-received claims for you, at once, when the delivery proof passed every check (default false).',
  })
  autoDefendClaims!: boolean;
  @Field({ description: 'Whether these are the defaults (the seller has changed nothing).' })
  isDefault!: boolean;
  @Field(() => Date, { nullable: true, description: 'When the seller last changed them.' })
  updatedAt!: Date | null;
}

@InputType('UpdateRiskSettingsInput', {
  description: 'Thresholds to change; omitted ones keep their value.',
})
export class UpdateRiskSettingsInput {
  @Field(() => String, {
    nullable: true,
    description: 'High-value threshold as a decimal amount, e.g. "750.00" (1.00 to 1000000.00).',
  })
  highValueThreshold?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Elevated-value threshold as a decimal amount, below the high-value one.',
  })
  elevatedValueThreshold?: string | null;
  @Field(() => Int, { nullable: true, description: 'Recommend score, 1 to 100.' })
  recommendScore?: number | null;
  @Field(() => Int, { nullable: true, description: 'New-account age in days, 0 to 3650.' })
  newAccountDays?: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      'Answer not-received claims automatically when the delivery proof passed every check.',
  })
  autoDefendClaims?: boolean | null;
}

@ObjectType('UpdateRiskSettingsPayload', { description: 'Result of updateRiskSettings.' })
export class UpdateRiskSettingsPayload {
  @Field(() => RiskSettingsType, {
    nullable: true,
    description: 'The thresholds now in force; null when userErrors is not empty.',
  })
  riskSettings!: RiskSettingsType | null;
  @Field(() => Int, { description: 'Orders awaiting shipment that were reassessed.' })
  reassessedOrders!: number;
  @Field(() => Int, { description: 'Of those, how many changed risk level.' })
  levelChangedOrders!: number;
  @Field(() => [UserErrorInterface], { description: 'Why nothing changed; empty on success.' })
  userErrors!: UserErrorInterface[];
}

@InputType('UpdateOrderRiskInputsInput', {
  description: 'Platform flags of an order that the risk rules look at; omitted ones stay.',
})
export class UpdateOrderRiskInputsInput {
  @Field(() => ID, { description: 'Global id of the order.' })
  orderId!: string;
  @Field(() => Boolean, { nullable: true, description: 'The platform put the order on hold.' })
  onHold?: boolean | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'The buyer changed the ship-to address after paying.',
  })
  addressChangedAfterCheckout?: boolean | null;
}

@ObjectType('UpdateOrderRiskInputsPayload', { description: 'Result of updateOrderRiskInputs.' })
export class UpdateOrderRiskInputsPayload {
  @Field(() => OrderType, { nullable: true, description: 'The order with its new flags.' })
  order!: OrderEntity | null;
  @Field(() => RiskAssessmentType, {
    nullable: true,
    description: 'The assessment made in the same transaction.',
  })
  riskAssessment!: RiskAssessmentEntity | null;
  @Field(() => [UserErrorInterface], { description: 'Why nothing changed; empty on success.' })
  userErrors!: UserErrorInterface[];
}
