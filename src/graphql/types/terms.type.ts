import { Field, InputType, ObjectType } from 'type-graphql';
import { Carrier, SignatureOption } from '../../entities/enums';
import type { SignatureTermsView } from '../../services/signature-terms.service';
import type { CarrierService as CarrierServiceEntity } from '../../entities';
import { CarrierServiceType } from './catalog.type';
import { Money } from './money.type';
import { UserErrorInterface } from './user-error.type';

@ObjectType('SignatureFee', {
  description: 'One line of the fee schedule: a service and an option.',
})
export class SignatureFeeType {
  @Field(() => Carrier, { description: 'The carrier.' })
  carrier!: Carrier;
  @Field(() => CarrierServiceType, { description: 'The service.' })
  service!: CarrierServiceEntity;
  @Field(() => SignatureOption, { description: 'The signature option.' })
  option!: SignatureOption;
  @Field(() => String, {
    nullable: true,
    description:
      'Carrier-native code of the option: USPS "921" Signature Confirmation, "922" Adult Signature Required, "981" Signature Requested on Priority Mail Express; UPS "DCIS:2" signature required, "DCIS:3" adult signature required.',
  })
  carrierCode!: string | null;
  @Field(() => Money, { description: 'The fee per label.' })
  fee!: Money;
  @Field(() => String, { nullable: true, description: 'Source and year of the figure.' })
  feeSource!: string | null;
}

@ObjectType('SignatureTerms', {
  description:
    'The terms sellers accept once before buying a signature option, with the fee schedule; a new version asks again.',
})
export class SignatureTermsType {
  @Field({ description: 'Version, e.g. "2026-11"; pass it to acceptSignatureTerms.' })
  version!: string;
  @Field({ description: 'The terms, in plain words.' })
  text!: string;
  @Field({ description: 'When this version took effect.' })
  publishedAt!: Date;
  @Field(() => Date, {
    nullable: true,
    description: 'When you accepted this version; null until you do.',
  })
  acceptedAt!: Date | null;
}

@InputType('AcceptSignatureTermsInput', { description: 'The terms version being accepted.' })
export class AcceptSignatureTermsInput {
  @Field({ description: 'The current version (SignatureTerms.version).' })
  version!: string;
}

@ObjectType('AcceptSignatureTermsPayload', { description: 'Result of acceptSignatureTerms.' })
export class AcceptSignatureTermsPayload {
  @Field(() => SignatureTermsType, {
    nullable: true,
    description: 'The terms with your acceptance; null when userErrors is not empty.',
  })
  signatureTerms!: SignatureTermsView | null;
  @Field(() => [UserErrorInterface], { description: 'Why nothing was recorded; empty on success.' })
  userErrors!: UserErrorInterface[];
}
