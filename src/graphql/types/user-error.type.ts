import { Field, ObjectType } from 'type-graphql';
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
