import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import type { Logger } from '../config/logger';

/**
 * Errors we raised on purpose (GraphQLError with a code) pass through; anything else is logged
 * and replaced by a generic message, so no internals or stack traces reach clients.
 */
export function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    const expected =
      (original instanceof GraphQLError && original.extensions?.code) ||
      (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR');
    if (expected) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error('unexpected error', {
      error: original instanceof Error ? original.stack : String(original),
      path: formatted.path,
    });
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
