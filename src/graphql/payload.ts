import { UserInputError } from '../core/user-error';
import type { UserError } from '../core/user-error';

export type Payload<T> = Partial<T> & { userErrors: UserError[] };

/**
 * Runs a mutation's service call and shapes its payload: the result with empty `userErrors`,
 * or, when the service raised its one expected-failure exception (UserInputError), those
 * `userErrors` with the other fields null (or as `onFailure` sets non-null ones). The one place
 * expected failures become data, as Saleor's BaseMutation catches only its ValidationError;
 * anything else stays a GraphQL error.
 */
export async function payload<T extends object>(
  run: () => Promise<T>,
  onFailure: Partial<T> = {},
): Promise<Payload<T>> {
  try {
    return { ...(await run()), userErrors: [] };
  } catch (error) {
    if (error instanceof UserInputError) return { ...onFailure, userErrors: error.errors };
    throw error;
  }
}
