import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import type { LogFields, Logger } from '../config/logger';

/** An error we raised on purpose: a GraphQLError with a code (other than the generic 500). */
function isExpected(formatted: GraphQLFormattedError, error: unknown): boolean {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code;
  return Boolean(
    (original instanceof GraphQLError && original.extensions?.code) ||
    (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR'),
  );
}

/**
 * Errors we raised on purpose pass through; anything else is replaced by a generic message, so
 * no internals or stack traces reach clients. Logging them is `logUnexpected`'s, where the
 * request they belong to is known (Apollo's formatError is not told).
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  if (isExpected(formatted, error)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return {
    message: 'Internal server error',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/** Logs the errors `formatError` hides, with the fields of the request they came from. */
export function logUnexpected(
  logger: Logger,
  errors: readonly GraphQLError[],
  fields: LogFields,
): void {
  for (const error of errors) {
    if (isExpected(error.toJSON(), error)) continue;
    const original = unwrapResolverError(error);
    logger.error('unexpected error', {
      error: original instanceof Error ? original.stack : String(original),
      path: error.path,
      ...fields,
    });
  }
}
