import { Field, ObjectType } from 'type-graphql';
import { globalIdOf } from '../../core/global-id';
import type { NodeTypeName } from '../../core/global-id';
import { UserErrorCode } from '../user-error-code';

@ObjectType({
  description:
    'An expected failure of a mutation (bad input or a business rule). Clients show `message` and fix `field`.',
})
export class UserError {
  @Field(() => UserErrorCode, { description: 'Machine-readable reason.' })
  code!: UserErrorCode;

  @Field(() => [String], {
    nullable: true,
    description: 'Path to the input field at fault, e.g. ["input", "rateId"].',
  })
  field!: string[] | null;

  @Field({ description: 'Human-readable explanation.' })
  message!: string;

  static of(code: UserErrorCode, message: string, field?: string[]): UserError {
    const error = new UserError();
    error.code = code;
    error.message = message;
    error.field = field ?? null;
    return error;
  }
}

/**
 * Decodes a mutation's input id that must be of `type`; a malformed id or another type is an
 * INVALID_ID user error at `field` (e.g. ['input', 'orderId']), for the payload's userErrors.
 */
export function idOrUserError(
  value: string,
  type: NodeTypeName,
  field: string[],
): number | UserError {
  const id = globalIdOf(value, type);
  if (id !== null) return id;
  const name = field[field.length - 1] ?? 'id';
  return UserError.of(UserErrorCode.INVALID_ID, `${name} is not a valid ${type} id`, field);
}
