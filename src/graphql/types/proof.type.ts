import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DeliveryProof as DeliveryProofEntity } from '../../entities';
import { CarrierInquiryStatus, ProofVerdict } from '../../entities/enums';
import { Connection } from './connection.type';
import { UserErrorInterface } from './user-error.type';
import { Node, exposeAs } from './node.type';

@ObjectType('DeliveryProofCheck', { description: 'One automatic check of a delivery proof.' })
export class DeliveryProofCheckType {
  @Field({
    description: 'SIGNATURE_PRESENT, ADULT_ID_VERIFIED or SIGNER_NAME_MATCHES.',
  })
  code!: string;
  @Field({ description: 'Whether the check passed.' })
  passed!: boolean;
  @Field({ description: 'What was found, in words.' })
  message!: string;
}

@ObjectType('DeliveryProof', {
  implements: Node,
  description:
    "What the carrier captured at delivery, the automatic checks, and the seller's verdict. The signature image and the verdict are shown to the seller only.",
})
export class DeliveryProofType extends Node {
  @Field(() => String, { nullable: true, description: 'Name the signer gave.' })
  signerName!: string | null;
  @Field(() => Date, { nullable: true, description: 'When the recipient signed.' })
  signedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Where the parcel was signed for.' })
  location!: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      'For adult signature: whether the carrier saw ID showing 21+ (null when not reported).',
  })
  adultIdVerified!: boolean | null;
  @Field(() => [DeliveryProofCheckType], { description: 'Automatic checks, in order.' })
  checks!: DeliveryProofCheckType[];
  @Field({
    description:
      'A check failed, e.g. a signature that was paid for is missing: the seller should look.',
  })
  flagged!: boolean;
  @Field({ description: 'When the proof was recorded.' })
  createdAt!: Date;
}
exposeAs(DeliveryProofEntity, 'DeliveryProof');

@InputType('VerifyDeliveryProofInput', { description: "The seller's verdict on a delivery proof." })
export class VerifyDeliveryProofInput {
  @Field(() => ID, { description: 'Global id of the delivery proof.' })
  proofId!: string;
  @Field(() => ProofVerdict, { description: 'CONFIRMED or DISPUTED.' })
  verdict!: ProofVerdict;
  @Field(() => String, {
    nullable: true,
    description: 'Why, for the record; at most 1000 characters.',
  })
  note?: string | null;
}

@ObjectType('VerifyDeliveryProofPayload', { description: 'Result of verifyDeliveryProof.' })
export class VerifyDeliveryProofPayload {
  @Field(() => DeliveryProofType, {
    nullable: true,
    description: 'The proof with the verdict recorded; null when userErrors is not empty.',
  })
  proof!: DeliveryProofEntity | null;
  @Field(() => [UserErrorInterface], { description: 'Why nothing was recorded; empty on success.' })
  userErrors!: UserErrorInterface[];
}

@ObjectType('ProofVerdictEntry', {
  description: 'One verdict the seller gave on a delivery proof.',
})
export class ProofVerdictEntryType {
  @Field(() => ProofVerdict, { description: 'CONFIRMED or DISPUTED.' })
  verdict!: ProofVerdict;
  @Field(() => String, { nullable: true, description: 'Why, as the seller wrote it.' })
  note!: string | null;
  @Field({ description: 'When it was given.' })
  at!: Date;
}

registerEnumType(CarrierInquiryStatus, {
  name: 'CarrierInquiryStatus',
  description: 'Where an inquiry to the carrier stands.',
  valuesConfig: {
    OPEN: { description: 'Opened; the carrier has not answered.' },
    CLOSED: { description: 'Answered and closed.' },
  },
});

@ObjectType('CarrierInquiry', {
  description:
    'An inquiry to the carrier about a delivery the seller disputed (opened by a DISPUTED verdict).',
})
export class CarrierInquiryType {
  @Field(() => CarrierInquiryStatus, { description: 'OPEN or CLOSED.' })
  status!: CarrierInquiryStatus;
  @Field({ description: 'Why it was opened.' })
  reason!: string;
  @Field({ description: 'When it was opened.' })
  openedAt!: Date;
}

export const CarrierInquiryConnection = Connection(CarrierInquiryType, 'CarrierInquiry');
