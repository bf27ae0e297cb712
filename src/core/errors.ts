import { GraphQLError } from 'graphql';

/** Top-level GraphQL error codes (`extensions.code`). Expected business failures are user errors instead. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  /** The label is void: its documents are no longer handed out. */
  LABEL_VOIDED = 'LABEL_VOIDED',
  RATE_LIMITED = 'RATE_LIMITED',
  /** The token's query cost budget cannot afford the operation (Shopify's THROTTLED); retry later. */
  THROTTLED = 'THROTTLED',
  /** The carrier failed or did not answer in time; nothing changed. Retry. */
  CARRIER_UNAVAILABLE = 'CARRIER_UNAVAILABLE',
  /** A WebSocket holds its most subscriptions, or its token does. */
  SUBSCRIPTION_LIMIT = 'SUBSCRIPTION_LIMIT',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export const unauthenticated = () =>
  new GraphQLError('A valid bearer token is required', {
    extensions: { code: ErrorCode.UNAUTHENTICATED },
  });

export const forbidden = (message = 'Not allowed for this role') =>
  new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });

export const badInput = (message: string, field?: string) =>
  new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) },
  });

export const notFound = (what: string) =>
  new GraphQLError(`${what} not found`, { extensions: { code: ErrorCode.NOT_FOUND } });

export const labelVoided = () =>
  new GraphQLError('The label is void; it must not be printed or shipped', {
    extensions: { code: ErrorCode.LABEL_VOIDED },
  });

export const carrierUnavailable = (message: string) =>
  new GraphQLError(`${message} Retry shortly.`, {
    extensions: { code: ErrorCode.CARRIER_UNAVAILABLE },
  });
