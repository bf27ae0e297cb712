import { globalIdOf } from './global-id';
import type { NodeTypeName } from './global-id';

/** Codes of expected mutation failures, shared by every payload's `userErrors`. */
export enum UserErrorCode {
  INVALID_ID = 'INVALID_ID',
  INVALID_INPUT = 'INVALID_INPUT',
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  QUOTE_NOT_FOUND = 'QUOTE_NOT_FOUND',
  QUOTE_EXPIRED = 'QUOTE_EXPIRED',
  RATE_NOT_FOUND = 'RATE_NOT_FOUND',
  SIGNATURE_NOT_SUPPORTED = 'SIGNATURE_NOT_SUPPORTED',
  CONTENTS_NOT_ELIGIBLE = 'CONTENTS_NOT_ELIGIBLE',
  SIGNATURE_TERMS_NOT_ACCEPTED = 'SIGNATURE_TERMS_NOT_ACCEPTED',
  TERMS_VERSION_NOT_CURRENT = 'TERMS_VERSION_NOT_CURRENT',
  ORDER_ALREADY_LABELED = 'ORDER_ALREADY_LABELED',
  ORDER_NOT_SHIPPABLE = 'ORDER_NOT_SHIPPABLE',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_REQUEST_IN_PROGRESS = 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
  LABEL_NOT_FOUND = 'LABEL_NOT_FOUND',
  LABEL_NOT_VOIDABLE = 'LABEL_NOT_VOIDABLE',
  CARRIER_UNAVAILABLE = 'CARRIER_UNAVAILABLE',
  CURRENCY_NOT_SUPPORTED = 'CURRENCY_NOT_SUPPORTED',
  PROOF_NOT_FOUND = 'PROOF_NOT_FOUND',
  WRITE_CONFLICT = 'WRITE_CONFLICT',
  WEBHOOK_URL_NOT_ALLOWED = 'WEBHOOK_URL_NOT_ALLOWED',
  WEBHOOK_ENDPOINT_NOT_FOUND = 'WEBHOOK_ENDPOINT_NOT_FOUND',
  WEBHOOK_ENDPOINT_DISABLED = 'WEBHOOK_ENDPOINT_DISABLED',
  WEBHOOK_DELIVERY_NOT_FOUND = 'WEBHOOK_DELIVERY_NOT_FOUND',
  CLAIM_NOT_FOUND = 'CLAIM_NOT_FOUND',
  ORDER_NOT_CLAIMABLE = 'ORDER_NOT_CLAIMABLE',
  CLAIM_WINDOW_CLOSED = 'CLAIM_WINDOW_CLOSED',
  CLAIM_ALREADY_OPEN = 'CLAIM_ALREADY_OPEN',
  CLAIM_DEADLINE_PASSED = 'CLAIM_DEADLINE_PASSED',
  CLAIM_TRANSITION_NOT_ALLOWED = 'CLAIM_TRANSITION_NOT_ALLOWED',
  NO_DELIVERY_PROOF = 'NO_DELIVERY_PROOF',
  SELLER_NOT_FOUND = 'SELLER_NOT_FOUND',
  BUYER_NOT_FOUND = 'BUYER_NOT_FOUND',
  ORDER_NUMBER_TAKEN = 'ORDER_NUMBER_TAKEN',
  TOO_MANY_ORDERS = 'TOO_MANY_ORDERS',
  ORDER_NOT_CANCELLABLE = 'ORDER_NOT_CANCELLABLE',
  API_TOKEN_NOT_FOUND = 'API_TOKEN_NOT_FOUND',
  SHIP_FROM_LOCATION_NOT_FOUND = 'SHIP_FROM_LOCATION_NOT_FOUND',
  NO_SHIP_FROM_LOCATION = 'NO_SHIP_FROM_LOCATION',
}

/**
 * An expected failure of a mutation (bad input or a business rule), returned to the client in the
 * payload's `userErrors` rather than as a top-level error.
 */
export interface UserError {
  readonly code: UserErrorCode;
  /** Path to the input field at fault, e.g. ['input', 'rateId']; null when no field is. */
  readonly field: string[] | null;
  readonly message: string;
}

export const userError = (
  code: UserErrorCode,
  message: string,
  field?: string[] | null,
): UserError => ({
  code,
  message,
  field: field ?? null,
});

/**
 * The one exception a service throws for an expected failure. Thrown inside a transaction it
 * also rolls the transaction back; the GraphQL layer turns it into the payload's `userErrors` in
 * one place (src/graphql/payload.ts) and lets every other exception through as a GraphQL error.
 */
export class UserInputError<E extends UserError = UserError> extends Error {
  readonly errors: E[];
  constructor(errors: E | E[]) {
    const list = Array.isArray(errors) ? errors : [errors];
    super(list.map((e) => e.message).join('; '));
    this.name = 'UserInputError';
    this.errors = list;
  }
}

/** Raises an expected failure: `fail(code, message, field)` or `fail(richerError)`. */
export function fail(code: UserErrorCode, message: string, field?: string[] | null): never;
export function fail<E extends UserError>(error: E | E[]): never;
export function fail(
  codeOrError: UserErrorCode | UserError | UserError[],
  message?: string,
  field?: string[] | null,
): never {
  if (typeof codeOrError === 'string') {
    throw new UserInputError(userError(codeOrError, message ?? codeOrError, field));
  }
  throw new UserInputError(codeOrError);
}

/**
 * Decodes a mutation's input id that must be of `type`; a malformed id or another type fails
 * with INVALID_ID at `field` (e.g. ['input', 'orderId']).
 */
export function decodeId(value: string, type: NodeTypeName, field: string[]): number {
  const id = globalIdOf(value, type);
  if (id !== null) return id;
  const name = field[field.length - 1] ?? 'id';
  return fail(UserErrorCode.INVALID_ID, `${name} is not a valid ${type} id`, field);
}
