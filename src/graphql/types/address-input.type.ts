import { Field, InputType } from 'type-graphql';

@InputType('PostalAddressInput', {
  description:
    'A full postal address. US addresses take a two-letter state as `region` and a ZIP or ZIP+4 as `postalCode`.',
})
export class PostalAddressInput {
  @Field({ description: 'Addressee: a person or the shipping contact (1–120 characters).' })
  name!: string;
  @Field(() => String, { nullable: true, description: 'Company or organisation, if any.' })
  company?: string | null;
  @Field({ description: 'Street line.' })
  line1!: string;
  @Field(() => String, { nullable: true, description: 'Apartment, suite, unit.' })
  line2?: string | null;
  @Field({ description: 'City or town.' })
  city!: string;
  @Field({ description: 'State, province or region code (US: two letters, e.g. OR).' })
  region!: string;
  @Field({ description: 'ZIP or postal code, checked against the country.' })
  postalCode!: string;
  @Field({ description: 'ISO 3166-1 alpha-2 country code, e.g. US.' })
  country!: string;
}
