import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LabelQuote as LabelQuoteEntity } from '../../entities';
import { SignatureOption } from '../../entities/enums';
import { Money } from './money.type';
import { Node, exposeAs } from './node.type';
import { UserErrorInterface } from './user-error.type';
import { SellerProtectionType, SignatureExpectedValueType } from './protection.type';

@InputType('ParcelInput', { description: 'Package weight and dimensions for the label.' })
export class ParcelInput {
  @Field(() => Int, { description: 'Weight in ounces, 1 to 2400 (150 lb).' })
  weightOz!: number;
  @Field(() => Int, { description: 'Length in inches, 1 to 108.' })
  lengthIn!: number;
  @Field(() => Int, { description: 'Width in inches, 1 to 108.' })
  widthIn!: number;
  @Field(() => Int, { description: 'Height in inches, 1 to 108.' })
  heightIn!: number;
}

@InputType('CreateLabelQuoteInput', {
  description: 'The order to quote, and optionally its parcel.',
})
export class CreateLabelQuoteInput {
  @Field(() => ID, { description: 'Global id of an order of yours awaiting shipment.' })
  orderId!: string;
  @Field(() => ParcelInput, {
    nullable: true,
    description: "The parcel; the order's default parcel when omitted.",
  })
  parcel?: ParcelInput | null;
  @Field(() => ID, {
    nullable: true,
    description:
      'Global id of one of your ship-from locations; your default location when omitted. Its postal code sets the zone, and the label ships from it.',
  })
  shipFromLocationId?: string | null;
}

@ObjectType('LabelRateOption', {
  description: 'One signature option on one rate: its fee itemized next to the postage.',
})
export class LabelRateOptionType {
  @Field(() => SignatureOption, { description: 'The option.' })
  option!: SignatureOption;
  @Field(() => Money, { description: 'The fee for the option alone (0 for NONE).' })
  fee!: Money;
  @Field(() => Money, { description: 'Postage plus the fee: what the label would cost.' })
  total!: Money;
  @Field({ description: 'Whether this service can carry the option.' })
  supported!: boolean;
  @Field(() => String, { nullable: true, description: 'Why not, when it cannot.' })
  unavailableReason!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'The carrier-native code that would go on the label: USPS "921" Signature Confirmation, "922" Adult Signature Required, "981" Signature Requested on Priority Mail Express; UPS "DCIS:2" signature required, "DCIS:3" adult signature required; null for NONE.',
  })
  carrierCode!: string | null;
  @Field({ description: "Whether this is the option the order's risk assessment recommends." })
  isRecommended!: boolean;
  @Field({
    description:
      'Whether buying it needs the signature terms accepted first (as of when the quote was made).',
  })
  requiresTermsAcceptance!: boolean;
  @Field(() => SellerProtectionType, {
    nullable: true,
    description:
      'Whether a not-received claim would be protected were this option bought, and if not why (as of the quote); null on quotes made before protection was computed.',
  })
  protection!: SellerProtectionType | null;
  @Field(() => SignatureExpectedValueType, {
    nullable: true,
    description:
      'The fee beside the order value at risk (and, with enough history, the expected cost); null on quotes made before it was computed.',
  })
  expectedValue!: SignatureExpectedValueType | null;
}

@ObjectType('LabelRate', {
  description: 'One service in a quote: its postage and signature options.',
})
export class LabelRateType {
  @Field({ description: "The rate's id within the quote; pass it to purchaseLabel as rateId." })
  id!: string;
  @Field(() => Money, { description: 'Postage without any signature fee.' })
  basePostage!: Money;
  @Field(() => Int, { description: 'Days the carrier expects the parcel to take.' })
  estimatedDeliveryDays!: number;
  @Field(() => [LabelRateOptionType], {
    description: 'NONE, SIGNATURE_REQUIRED and ADULT_SIGNATURE_REQUIRED, supported or not.',
  })
  options!: LabelRateOptionType[];
  @Field({
    description:
      "Whether the service may carry the order's goods (Media Mail only for qualifying media, no USPS for alcohol or vapes, age-restricted goods only with an adult signature). An ineligible rate cannot be bought (CONTENTS_NOT_ELIGIBLE) and none of its options is recommended.",
  })
  eligible!: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'Why the service may not carry the goods, citing the rule; null when eligible.',
  })
  ineligibleReason!: string | null;
}

@ObjectType('LabelQuote', {
  implements: Node,
  description: 'Label prices for an order, one rate per service, locked for 15 minutes.',
})
export class LabelQuoteType extends Node {
  @Field({ description: 'Until when the prices hold; purchases after it fail with QUOTE_EXPIRED.' })
  expiresAt!: Date;
  @Field({ description: 'When the quote was made.' })
  createdAt!: Date;
  @Field(() => SignatureOption, {
    description: "What the order's risk assessment recommended when the quote was made.",
  })
  recommendedSignature!: SignatureOption;
}
exposeAs(LabelQuoteEntity, 'LabelQuote');

@ObjectType('CreateLabelQuotePayload', { description: 'Result of createLabelQuote.' })
export class CreateLabelQuotePayload {
  @Field(() => LabelQuoteType, {
    nullable: true,
    description: 'The quote; null when userErrors is not empty.',
  })
  quote!: LabelQuoteEntity | null;
  @Field(() => [UserErrorInterface], { description: 'Why no quote was made; empty on success.' })
  userErrors!: UserErrorInterface[];
}
