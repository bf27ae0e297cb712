import { Field, InterfaceType, ObjectType } from 'type-graphql';
import type { UserError } from '../../core/user-error';
import { UserErrorCode } from '../../core/user-error';
import '../user-error-code';

@InterfaceType('UserError', {
  description:
    'An expected failure of a mutation (bad input or a business rule). Clients show `message` and fix `field`.',
  // Services return plain objects: the purchase error is the one with purchase-only fields.
  resolveType: (value: UserError) =>
    'alternatives' in value || 'fee' in value || 'termsVersion' in value
      ? 'PurchaseLabelUserError'
      : 'BasicUserError',
})
export abstract class UserErrorInterface {
  @Field(() => UserErrorCode, { description: 'Machine-readable reason.' })
  code!: UserErrorCode;

  @Field(() => [String], {
    nullable: true,
    description: 'Path to the input field at fault, e.g. ["input", "rateId"].',
  })
  field!: string[] | null;

  @Field({ description: 'Human-readable explanation.' })
  message!: string;
}

@ObjectType('BasicUserError', {
  implements: UserErrorInterface,
  description: 'A user error with nothing beyond its code, field and message.',
})
export class BasicUserError extends UserErrorInterface {}
