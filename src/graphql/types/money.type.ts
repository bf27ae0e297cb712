import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  // Plain data: fields read the property directly, without type-graphql's per-field wrapper.
  simpleResolvers: true,
  description: 'An amount of money. Never a float: `amount` is a decimal string.',
})
export class Money {
  @Field({ description: 'Decimal amount in the currency\'s major unit, e.g. "12.34".' })
  amount!: string;

  @Field({ description: 'ISO 4217 currency code, e.g. "USD".' })
  currencyCode!: string;
}
