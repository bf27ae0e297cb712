import { Field, InputType, ObjectType } from 'type-graphql';
import {
  Buyer as BuyerEntity,
  Seller as SellerEntity,
  ShipFromLocation as ShipFromLocationEntity,
} from '../../entities';
import { UpsertOutcome } from '../../entities/enums';
import { PostalAddressInput } from './address-input.type';
import { Node, exposeAs } from './node.type';
import { AddressType, BuyerType, SellerType } from './order.type';
import { UserErrorInterface } from './user-error.type';

@ObjectType('ShipFromLocation', {
  implements: Node,
  description: "A place a seller ships from; a quote's zone and a label's ship-from block use it.",
})
export class ShipFromLocationType extends Node {
  @Field({ description: "The platform's key for the location, unique per seller." })
  key!: string;
  @Field({ description: 'A name for people, e.g. "Portland warehouse".' })
  name!: string;
  @Field(() => AddressType, { description: 'Where parcels leave from.' })
  address!: AddressType;
  @Field({ description: 'Phone at the location, E.164.' })
  phone!: string;
  @Field({ description: 'Whether quotes use it when no location is chosen.' })
  isDefault!: boolean;
}
exposeAs(ShipFromLocationEntity, 'ShipFromLocation');

@InputType('ShipFromLocationInput', { description: 'One ship-from location of a seller.' })
export class ShipFromLocationInput {
  @Field({ description: 'Your key for it (1–64 printable characters), unique per seller.' })
  key!: string;
  @Field({ description: 'A name for people (1–120 characters).' })
  name!: string;
  @Field(() => PostalAddressInput, { description: 'Its full address (in the US).' })
  address!: PostalAddressInput;
  @Field({ description: 'Phone for the carrier: E.164, or a US number.' })
  phone!: string;
  @Field({ description: 'The default location; exactly one must be.' })
  isDefault!: boolean;
}

@InputType('UpsertSellerInput', {
  description: "A seller as the platform knows it, keyed by the platform's id.",
})
export class UpsertSellerInput {
  @Field({ description: 'Your id for the seller (1–64 printable characters, no spaces).' })
  externalId!: string;
  @Field({ description: 'Shop name (1–120 characters).' })
  name!: string;
  @Field(() => [ShipFromLocationInput], {
    description:
      'Every location the seller ships from (1–50, exactly one default). Locations missing here are removed.',
  })
  shipFromLocations!: ShipFromLocationInput[];
}

@ObjectType('UpsertSellerPayload', { description: 'Result of upsertSeller.' })
export class UpsertSellerPayload {
  @Field(() => SellerType, { nullable: true, description: 'The seller as now stored.' })
  seller!: SellerEntity | null;
  @Field(() => UpsertOutcome, { nullable: true, description: 'Created, updated or unchanged.' })
  outcome!: UpsertOutcome | null;
  @Field(() => [UserErrorInterface], { description: 'Why nothing was written.' })
  userErrors!: UserErrorInterface[];
}

@InputType('UpsertBuyerInput', {
  description: "A buyer as the platform knows it, keyed by the platform's id.",
})
export class UpsertBuyerInput {
  @Field({ description: 'Your id for the buyer (1–64 printable characters, no spaces).' })
  externalId!: string;
  @Field({ description: 'Name (1–120 characters).' })
  name!: string;
  @Field({ description: 'E-mail for delivery notifications.' })
  email!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Phone for SMS notifications: E.164, or a US number.',
  })
  phone?: string | null;
  @Field({
    description: 'When the account was opened on your platform; risk weighs young accounts.',
  })
  accountCreatedAt!: Date;
}

@ObjectType('UpsertBuyerPayload', { description: 'Result of upsertBuyer.' })
export class UpsertBuyerPayload {
  @Field(() => BuyerType, { nullable: true, description: 'The buyer as now stored.' })
  buyer!: BuyerEntity | null;
  @Field(() => UpsertOutcome, { nullable: true, description: 'Created, updated or unchanged.' })
  outcome!: UpsertOutcome | null;
  @Field(() => [UserErrorInterface], { description: 'Why nothing was written.' })
  userErrors!: UserErrorInterface[];
}
