import { Field, Int, ObjectType } from 'type-graphql';
import { CarrierService as CarrierServiceEntity } from '../../entities';
import { Carrier, SignatureOption } from '../../entities/enums';
import { Money } from './money.type';
import { Node, exposeAs } from './node.type';

@ObjectType('ServiceSignatureOption', {
  description: 'Whether a carrier service can carry a signature option, at what fee, or why not.',
})
export class ServiceSignatureOptionType {
  @Field(() => SignatureOption, { description: 'The option.' })
  option!: SignatureOption;
  @Field({ description: 'Whether this service supports it.' })
  supported!: boolean;
  @Field(() => String, {
    nullable: true,
    description:
      'Carrier-native code sent on the label: USPS "921" Signature Confirmation, "922" Adult Signature Required, "981" Signature Requested on Priority Mail Express; UPS "DCIS:2" signature required, "DCIS:3" adult signature required; null for NONE or an option not offered.',
  })
  carrierCode!: string | null;
  @Field(() => Money, { description: 'Fee the carrier charges for the option (0 for NONE).' })
  fee!: Money;
  @Field(() => String, { nullable: true, description: 'Source and year of the fee figure.' })
  feeSource!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Why the option is unavailable, when it is.',
  })
  unavailableReason!: string | null;
}

@ObjectType('CarrierService', {
  implements: Node,
  description: 'A shipping service of a carrier and the signature options it supports.',
})
export class CarrierServiceType extends Node {
  @Field(() => Carrier, { description: 'The carrier.' })
  carrier!: Carrier;
  @Field({ description: 'Stable service code, e.g. "USPS_GROUND_ADVANTAGE".' })
  code!: string;
  @Field({ description: 'Display name.' })
  name!: string;
  @Field({ description: 'Whether the service ships abroad.' })
  international!: boolean;
  @Field(() => Int, { description: 'Typical days in transit.' })
  transitDays!: number;
}
exposeAs(CarrierServiceEntity, 'CarrierService');
