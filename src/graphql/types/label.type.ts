import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, CreatedAtConnectionArgs } from './connection.type';
import {
  Label as LabelEntity,
  type Order as OrderEntity,
  type Shipment as ShipmentEntity,
} from '../../entities';
import {
  Carrier,
  ChargeKind,
  LabelDocumentFormat,
  LabelStatus,
  SignatureOption,
} from '../../entities/enums';
import type { RateRef } from '../../services/label-quote.service';
import { Money } from './money.type';
import { Node, exposeAs } from './node.type';
import { OrderType } from './order.type';
import { LabelRateType } from './quote.type';
import { ShipmentType } from './shipment.type';
import { UserErrorInterface } from './user-error.type';

registerEnumType(ChargeKind, {
  name: 'ChargeKind',
  description: "What a line on the seller's account is for.",
  valuesConfig: {
    POSTAGE: { description: 'Postage of a label.' },
    SIGNATURE_FEE: { description: 'The fee of the signature option on a label.' },
    REFUND: {
      description: 'A refund (negative) of an earlier charge, e.g. when a label is voided.',
    },
  },
});

registerEnumType(LabelStatus, {
  name: 'LabelStatus',
  description: 'Whether a label can still be used.',
  valuesConfig: {
    PURCHASED: { description: 'Bought and usable.' },
    VOIDED: { description: 'Voided before the first carrier scan; its charges were refunded.' },
  },
});

registerEnumType(LabelDocumentFormat, {
  name: 'LabelDocumentFormat',
  description: 'A printable form of a label.',
  valuesConfig: {
    PDF: { description: '4×6 in PDF (application/pdf).' },
    PNG: { description: '4×6 in PNG at 203 dpi, 812 × 1218 pixels (image/png).' },
    ZPL: { description: 'ZPL II for 203-dpi thermal printers (text/plain).' },
  },
});

@ObjectType('LabelDocumentLink', {
  description:
    "A short-lived link to a label's document. GET it (no token needed: the link is signed) for the bytes; after expiresAt, or once the label is voided, it is refused.",
})
export class LabelDocumentLinkType {
  @Field({
    description:
      "Where to GET the document: absolute when the server knows its public origin (PUBLIC_BASE_URL), else a path on this API's origin.",
  })
  url!: string;
  @Field({ description: 'When the link stops working.' })
  expiresAt!: Date;
}

@ObjectType('Charge', { description: "A line on the seller's account; refunds are negative." })
export class ChargeType {
  @Field(() => ChargeKind, { description: 'What the line is for.' })
  kind!: ChargeKind;
  @Field({ description: 'The line as it reads on the statement.' })
  description!: string;
  @Field(() => Money, { description: 'The amount; negative for a refund.' })
  amount!: Money;
  @Field({ description: 'When it was charged.' })
  createdAt!: Date;
}

@ObjectType('Label', {
  simpleResolvers: true,
  implements: Node,
  description: 'A shipping label bought for an order: service, signature option and itemized cost.',
})
export class LabelType extends Node {
  @Field({ description: 'Carrier tracking number.' })
  trackingNumber!: string;
  @Field(() => Carrier, { description: 'The carrier.' })
  carrier!: Carrier;
  @Field(() => SignatureOption, { description: 'The signature option bought.' })
  signatureOption!: SignatureOption;
  @Field(() => String, {
    nullable: true,
    description:
      'Carrier-native code sent for the option: USPS "921" Signature Confirmation, "922" Adult Signature Required, "981" Signature Requested on Priority Mail Express; UPS "DCIS:2" signature required, "DCIS:3" adult signature required; null for NONE.',
  })
  signatureCarrierCode!: string | null;
  @Field(() => LabelStatus, { description: 'PURCHASED, or VOIDED.' })
  status!: LabelStatus;
  @Field({ description: 'When it was bought.' })
  createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it was voided.' })
  voidedAt!: Date | null;
}
exposeAs(LabelEntity, 'Label');

export const LabelConnection = Connection(LabelType, 'Label');

@ArgsType()
export class LabelsArgs extends CreatedAtConnectionArgs {
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Include voided labels (their charges end with the refunds); default false.',
  })
  includeVoided?: boolean | null;
}

@InputType('PurchaseLabelInput', {
  description: 'A rate of a quote, a signature option and a key.',
})
export class PurchaseLabelInput {
  @Field(() => ID, { description: 'Global id of the quote.' })
  quoteId!: string;
  @Field({ description: 'A rate id of that quote (LabelRate.id).' })
  rateId!: string;
  @Field(() => SignatureOption, {
    description: 'The option to buy; NONE skips the signature, even when one is recommended.',
  })
  signatureOption!: SignatureOption;
  @Field({
    description:
      'Your key for this purchase (1–255 printable characters, e.g. a UUID): a retry with the same key and input returns the first result instead of buying twice.',
  })
  idempotencyKey!: string;
}

@ObjectType('PurchaseLabelUserError', {
  implements: UserErrorInterface,
  description: 'Why purchaseLabel bought nothing, with what you need to act on it.',
})
export class PurchaseLabelUserError extends UserErrorInterface {
  @Field(() => Money, {
    nullable: true,
    description: 'SIGNATURE_TERMS_NOT_ACCEPTED: the fee the option would add to the label.',
  })
  fee?: Money | null;
  @Field(() => String, {
    nullable: true,
    description: 'SIGNATURE_TERMS_NOT_ACCEPTED: the terms version to accept.',
  })
  termsVersion?: string | null;
  @Field(() => [LabelRateType], {
    nullable: true,
    description:
      "SIGNATURE_NOT_SUPPORTED: the quote's rates whose service supports the option, cheapest total first.",
  })
  alternatives?: RateRef[] | null;
}

@ObjectType('PurchaseLabelPayload', { description: 'Result of purchaseLabel.' })
export class PurchaseLabelPayload {
  @Field(() => LabelType, { nullable: true, description: 'The label; null on failure.' })
  label!: LabelEntity | null;
  @Field(() => OrderType, { nullable: true, description: 'The order, now LABEL_PURCHASED.' })
  order!: OrderEntity | null;
  @Field(() => ShipmentType, {
    nullable: true,
    description: 'The shipment in LABEL_CREATED with its signature requirement.',
  })
  shipment!: ShipmentEntity | null;
  @Field(() => [PurchaseLabelUserError], {
    description: 'Why nothing was bought; empty on success.',
  })
  userErrors!: PurchaseLabelUserError[];
}

@InputType('VoidLabelInput', { description: 'The label to void.' })
export class VoidLabelInput {
  @Field(() => ID, { description: 'Global id of the label.' })
  labelId!: string;
}

@ObjectType('VoidLabelPayload', { description: 'Result of voidLabel.' })
export class VoidLabelPayload {
  @Field(() => LabelType, { nullable: true, description: 'The label, now VOIDED.' })
  label!: LabelEntity | null;
  @Field(() => OrderType, { nullable: true, description: 'The order, back to AWAITING_SHIPMENT.' })
  order!: OrderEntity | null;
  @Field(() => ShipmentType, { nullable: true, description: 'The shipment, now CANCELLED.' })
  shipment!: ShipmentEntity | null;
  @Field(() => [UserErrorInterface], { description: 'Why nothing was voided; empty on success.' })
  userErrors!: UserErrorInterface[];
}
