import type { IncomingMessage } from 'node:http';
import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import express from 'express';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { GraphQLError, getOperationAST, getVariableValues, parse, validate } from 'graphql';
import type {
  DocumentNode,
  ExecutionArgs,
  FragmentDefinitionNode,
  GraphQLFormattedError,
  GraphQLSchema,
  OperationDefinitionNode,
} from 'graphql';
import type { ConnectionInitMessage, Context, ServerOptions } from 'graphql-ws';
import type { Viewer } from '../auth/viewer';
import type { SecurityConfig } from '../config/security';
import type { LogFields, Logger } from '../config/logger';
import type { GraphQLContext } from '../graphql/context';
import { documentsByText } from '../graphql/documents-by-text';
import { ErrorCode } from '../core/errors';
import { formatError, logUnexpected } from './format-error';
import {
  PARSE_FAILED,
  VALIDATION_FAILED,
  batchItemCount,
  limitError,
  limitRules,
  purchaseKeys,
  withoutSuggestions,
  wsValidationRules,
} from './query-limits';
import { actualCost, operationCost } from './query-cost';
import { CostBudget } from './cost-feedback';
import { TrustedDocuments } from './trusted-documents';
import type { DocumentRequest } from './trusted-documents';
import type { Reservation } from './cost-feedback';
import { RateLimit } from './rate-limit';
import type { RateLimitStore, Take } from './rate-limit';

type RateLimitName = 'IP' | 'COST' | 'PURCHASES' | 'BATCH_ITEMS';

/** How an operation came: over HTTP (a refusal carries its status) and what its log lines say. */
interface Via {
  overHttp: boolean;
  log: LogFields;
}
const WEBSOCKET: Via = { overHttp: false, log: { transport: 'websocket' } };
type WsParams = ConnectionInitMessage['payload'];
type WsHooks<P extends WsParams, E> = Pick<
  ServerOptions<P, E>,
  'onSubscribe' | 'onNext' | 'onError'
>;

export interface Security {
  /** Spread into `new ApolloServer({...})`; add `apolloPlugins` to its plugins. */
  apolloOptions: Pick<
    ApolloServerOptions<GraphQLContext>,
    | 'validationRules'
    | 'parseOptions'
    | 'introspection'
    | 'hideSchemaDetailsFromClientErrors'
    | 'allowBatchedHttpRequests'
    | 'includeStacktraceInErrorResponses'
    | 'persistedQueries'
    | 'formatError'
  >;
  apolloPlugins: ApolloServerPlugin<GraphQLContext>[];
  /** graphql-ws hooks applying the same limits; `viewerOf` reads the connection's caller. */
  wsHooks<P extends WsParams, E>(viewerOf: (ctx: Context<P, E>) => Viewer | null): WsHooks<P, E>;
  wsMaxPayloadBytes: number;
  /** Spends one request of an IP's bucket (WebSocket handshakes); null when rate limits are off. */
  takeIp: ((ip: string) => Promise<Take>) | null;
  /** Trust-proxy setting and the per-IP limiter: call before mounting any route. */
  guardHttp(app: express.Express): void;
  /**
   * For /graphql: the JSON body parser with its size limit, the query length limit, and the
   * refusal of subscriptions (they are served over WebSocket only).
   */
  graphqlBody(): RequestHandler[];
  /** JSON 404 and error responses (never an HTML page or a stack): call after every route. */
  finishHttp(app: express.Express): void;
}

export interface SecurityParts {
  config: SecurityConfig;
  schema: GraphQLSchema;
  logger: Logger;
  /** Where the rate limit counters live (Redis: shared by all instances). */
  limitStore?: RateLimitStore;
}

/** Limits, rate limits and error masking for HTTP and WebSocket, from src/config/security.ts. */
export function createSecurity({ config, schema, logger, limitStore }: SecurityParts): Security {
  const { limits, rateLimits } = config;
  const wsRules = wsValidationRules(limits, config.introspection);
  const limit = (name: string, points: number, seconds: number) =>
    new RateLimit({ name, points, seconds }, limitStore);
  const buckets = rateLimits.enabled
    ? {
        ip: limit('ip', rateLimits.ipRequestsPerMinute, 60),
        // The burst, earned back at the per-second rate: one window of burst / rate seconds.
        cost: limit(
          'cost',
          rateLimits.costBurst,
          Math.max(1, Math.ceil(rateLimits.costBurst / rateLimits.costPointsPerSecond)),
        ),
        purchases: limit('purchases', rateLimits.purchasesPerMinute, 60),
        // A batch of 100 fits; more labels an hour than that go through purchaseLabel's limit.
        batchItems: limit('batch-items', rateLimits.batchItemsPerHour, 3600),
      }
    : null;
  const { manifestPath, enforce } = config.trustedDocuments;
  const trusted = manifestPath ? TrustedDocuments.load(manifestPath, enforce) : null;
  const budget = new CostBudget(buckets?.cost ?? null, rateLimits.costPointsPerSecond);
  const formatClientError = (formatted: GraphQLFormattedError, error: unknown) => {
    const out = formatError(formatted, error);
    return { ...out, message: withoutSuggestions(out.message) };
  };

  const rateLimited = (limit: RateLimitName, retryAfterSeconds: number, via: Via) => {
    logger.warn('rate limited', { limit, retryAfterSeconds, ...via.log });
    const { overHttp } = via;
    const http = { status: 429, headers: new HeaderMap([['retry-after', `${retryAfterSeconds}`]]) };
    return new GraphQLError(RATE_LIMIT_MESSAGES[limit], {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        limit,
        retryAfterSeconds,
        ...(overHttp ? { http } : {}),
      },
    });
  };

  const tooLong = (length: number) =>
    limitError(
      limits.exposeLimits
        ? `Query length limit of ${limits.maxCharacters} characters exceeded, found ${length}.`
        : 'The query is too long.',
      'CHARACTERS',
      'BAD_REQUEST',
    );

  const throttled = (reservation: Reservation, via: Via) => {
    logger.warn('rate limited', {
      limit: 'COST',
      retryAfterSeconds: reservation.take.retryAfterSeconds,
      ...via.log,
    });
    return budget.throttledError(reservation, RATE_LIMIT_MESSAGES.COST, via.overHttp);
  };

  /**
   * Once the operation and its variables are known: the cost limit, then the reservation of the
   * requested cost in the caller's budget, then a seller's purchase bucket. Returns the refusal
   * (or null) and the reservation to settle once the operation ran.
   */
  const admit = async (
    viewer: Viewer | null,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | null | undefined,
    via: Via,
  ): Promise<{
    refusal: GraphQLError | null;
    reservation: Reservation | null;
    requested: number;
  }> => {
    const requested = Math.ceil(operationCost(schema, document, operation, variables));
    const refuse = (refusal: GraphQLError, reservation: Reservation | null = null) => ({
      refusal,
      reservation,
      requested,
    });
    if (requested > limits.maxCost) {
      const error = limitError(
        limits.exposeLimits
          ? `Query cost limit of ${limits.maxCost} exceeded, found ${requested}.`
          : 'The query is too expensive.',
        'COST',
      );
      if (via.overHttp) error.extensions.http = { status: 400, headers: new HeaderMap() };
      return refuse(error);
    }
    // Anonymous callers are refused by the resolvers; the per-IP limit covers them.
    const reservation = await budget.reserve(viewer, requested);
    if (reservation && !reservation.take.ok)
      return refuse(throttled(reservation, via), reservation);
    if (buckets && viewer && viewer.sellerId !== null) {
      const fragments = (name: string) =>
        document.definitions.find(
          (d): d is FragmentDefinitionNode =>
            d.kind === 'FragmentDefinition' && d.name.value === name,
        );
      if (purchaseKeys(operation, fragments).size > 0) {
        // A batch request is one purchase request, and spends its items of the hourly budget.
        const taken = await buckets.purchases.take(`seller:${viewer.sellerId}`);
        if (!taken.ok) {
          return refuse(rateLimited('PURCHASES', taken.retryAfterSeconds, via), reservation);
        }
        const items = batchItemCount(operation, fragments, variables);
        if (items > 0) {
          const spent = await buckets.batchItems.take(`seller:${viewer.sellerId}`, items);
          if (!spent.ok) {
            return refuse(rateLimited('BATCH_ITEMS', spent.retryAfterSeconds, via), reservation);
          }
        }
      }
    }
    return { refusal: null, reservation, requested };
  };

  /** After an operation ran (or was refused): its extensions.cost and headers (./cost-feedback.ts). */
  const settle = (
    admitted: Awaited<ReturnType<typeof admit>> | null,
    document: DocumentNode | undefined,
    operation: OperationDefinitionNode | undefined | null,
    variables: Record<string, unknown> | null | undefined,
    data: Record<string, unknown> | null | undefined,
  ) => {
    const ran = !admitted?.refusal && document && operation;
    const actual = () => Math.ceil(actualCost(schema, document!, operation!, variables, data));
    return budget.settleOperation(admitted, ran ? actual : null, (error) =>
      logger.warn('cost refund failed', { error: String(error) }),
    );
  };

  const apolloPlugins: ApolloServerPlugin<GraphQLContext>[] = [
    {
      async requestDidStart() {
        let admitted: Awaited<ReturnType<typeof admit>> | null = null;
        return {
          async didResolveOperation({ contextValue, document, operation, request }) {
            if (!operation) return;
            admitted = await admit(contextValue.viewer, document, operation, request.variables, {
              overHttp: true,
              log: { requestId: contextValue.requestId },
            });
            if (admitted.refusal) throw admitted.refusal;
          },
          // Every response, refusals included, says what it cost and what is left.
          async willSendResponse({ response, document, operation, request }) {
            if (response.body.kind !== 'single') return;
            const result = response.body.singleResult;
            const { cost, headers } = await settle(
              admitted,
              document,
              operation,
              request.variables,
              result.data,
            );
            result.extensions = { ...result.extensions, cost };
            for (const [name, value] of headers) response.http.headers.set(name, value);
          },
        };
      },
    },
  ];

  /** What each WebSocket operation reserved, until its result settles it. */
  const wsReservations = new WeakMap<object, Map<string, Awaited<ReturnType<typeof admit>>>>();
  const reservations = (ctx: object) => {
    let map = wsReservations.get(ctx);
    if (!map) wsReservations.set(ctx, (map = new Map()));
    return map;
  };

  /**
   * Texts that parsed and validated: validation depends only on the schema, the text and the
   * fixed `wsRules`, and 10,000 clients subscribing with one text (W4) would otherwise parse and
   * validate it 10,000 times, a third of what each subscribe cost.
   */
  const validDocuments = documentsByText<DocumentNode>();
  const validDocument = (query: string): DocumentNode | GraphQLError[] => {
    const known = validDocuments.get(query);
    if (known) return known;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (error) {
      const message = error instanceof Error ? error.message : 'Syntax Error';
      return [new GraphQLError(message, { extensions: { code: PARSE_FAILED } })];
    }
    const invalid = validate(schema, document, wsRules);
    if (invalid.length > 0) {
      return invalid.map(
        (e) =>
          new GraphQLError(withoutSuggestions(e.message), {
            nodes: e.nodes,
            extensions: { ...e.extensions, code: VALIDATION_FAILED },
          }),
      );
    }
    validDocuments.set(query, document);
    return document;
  };

  const wsHooks = <P extends WsParams, E>(
    viewerOf: (ctx: Context<P, E>) => Viewer | null,
  ): WsHooks<P, E> => ({
    // Returning ExecutionArgs makes graphql-ws skip its own parse and validate, so everything
    // HTTP checks happens here, and a syntax error is an error message, not a closed socket.
    onSubscribe: async (ctx, id, payload): Promise<ExecutionArgs | GraphQLError[]> => {
      const { operationName, variables } = payload;
      let { query } = payload;
      if (trusted) {
        // The same rule as over HTTP: a registered id, or (when enforcing) a registered text.
        const resolved = trusted.resolve(payload as DocumentRequest);
        if (!resolved.ok) {
          return [new GraphQLError(resolved.message, { extensions: { code: resolved.code } })];
        }
        query = resolved.query ?? query;
      }
      if (typeof query !== 'string' || query.length > limits.maxCharacters) {
        return [tooLong(typeof query === 'string' ? query.length : 0)];
      }
      const document = validDocument(query);
      if (Array.isArray(document)) return document;
      const operation = getOperationAST(document, operationName);
      if (!operation) {
        return [
          new GraphQLError('Unable to identify the operation to run.', {
            extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
          }),
        ];
      }
      // Coerced here too so a bad variable gets BAD_USER_INPUT, as over HTTP.
      const coerced = getVariableValues(
        schema,
        operation.variableDefinitions ?? [],
        variables ?? {},
        {
          maxErrors: 20,
        },
      );
      if (coerced.errors) {
        return coerced.errors.map(
          (e) =>
            new GraphQLError(withoutSuggestions(e.message), {
              nodes: e.nodes,
              extensions: { code: ErrorCode.BAD_USER_INPUT },
            }),
        );
      }
      const admitted = await admit(viewerOf(ctx), document, operation, variables, WEBSOCKET);
      if (admitted.refusal) return [admitted.refusal];
      // A query or mutation is settled on its result; a subscription keeps what it reserved.
      if (operation.operation !== 'subscription') reservations(ctx).set(id, admitted);
      return { schema, document, operationName, variableValues: variables };
    },
    // Queries and mutations over WebSocket carry extensions.cost as over HTTP; subscription
    // events do not (one payload is shared by every subscriber with the same audience).
    // Not async on the common path: a subscription event with no errors and nothing reserved
    // returns at once, without a promise or a map per socket (10,000 sockets per event, W4).
    onNext: (ctx, id, _payload, args, result) => {
      if (result.errors) logUnexpected(logger, result.errors, WEBSOCKET.log);
      const errors = result.errors?.map((e) => formatClientError(e.toJSON(), e));
      const admitted = wsReservations.get(ctx)?.get(id);
      if (!admitted) return errors ? { ...result, errors } : undefined;
      reservations(ctx).delete(id);
      return (async () => {
        const operation = getOperationAST(args.document, args.operationName);
        const { cost } = await settle(
          admitted,
          args.document,
          operation,
          args.variableValues as Record<string, unknown> | undefined,
          result.data as Record<string, unknown> | null | undefined,
        );
        return {
          ...result,
          ...(errors ? { errors } : {}),
          extensions: { ...result.extensions, cost },
        };
      })();
    },
    onError: (_ctx, _id, _payload, errors) => {
      logUnexpected(logger, errors, WEBSOCKET.log);
      return errors.map((e) => formatClientError(e.toJSON(), e));
    },
  });

  const ipLimiter: RequestHandler = async (req, res, next) => {
    // Probes must always answer; carriers post bursts from a few addresses and are
    // authenticated by their HMAC signature instead.
    if (!buckets || UNLIMITED_PATHS.test(req.path)) return next();
    const taken = await buckets.ip.take(`ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`);
    if (taken.ok) return next();
    logger.warn('rate limited', { limit: 'IP', ip: req.ip, requestId: String(req.id) });
    res
      .status(429)
      .set('retry-after', `${taken.retryAfterSeconds}`)
      .json(errorBody(RATE_LIMIT_MESSAGES.IP, ErrorCode.RATE_LIMITED, { limit: 'IP' }));
  };

  // Here rather than in an Apollo hook: there, a throw before didResolveOperation becomes a 500.
  const queryLengthLimit: RequestHandler = (req, res, next) => {
    const body = req.body as { query?: unknown } | undefined;
    const query = req.method === 'GET' ? req.query.query : body?.query;
    if (typeof query !== 'string' || query.length <= limits.maxCharacters) return next();
    const { message, extensions } = tooLong(query.length);
    res.status(400).json({ errors: [{ message, extensions }] });
  };

  // graphql-js cannot execute a subscription once (it yields a stream), and Apollo answered one
  // with 200 and a logged INTERNAL_SERVER_ERROR; a GET one it answered 405 naming POST, which
  // fails too. Subscriptions live on graphql-ws, so both methods get 400 and a code saying so.
  // Only a body naming `subscription` is parsed here; a parse error is left to Apollo.
  const noSubscriptionOverHttp: RequestHandler = (req, res, next) => {
    const body = req.body as { query?: unknown; operationName?: unknown } | undefined;
    const source = req.method === 'GET' ? req.query : body;
    const query = source?.query;
    if (typeof query !== 'string' || !/\bsubscription\b/.test(query)) return next();
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch {
      return next();
    }
    const name = typeof source?.operationName === 'string' ? source.operationName : null;
    if (getOperationAST(document, name)?.operation !== 'subscription') return next();
    res
      .status(400)
      .json(
        errorBody(
          'Subscriptions are served over WebSocket (graphql-ws) on this path, not over HTTP.',
          SUBSCRIPTION_OVER_HTTP,
        ),
      );
  };

  return {
    apolloOptions: {
      validationRules: limitRules(limits),
      parseOptions: { maxTokens: limits.maxTokens },
      introspection: config.introspection,
      hideSchemaDetailsFromClientErrors: true,
      allowBatchedHttpRequests: false,
      includeStacktraceInErrorResponses: false,
      // APQ is a cache, not a safelist; off so a hash cannot stand in for a checked query.
      persistedQueries: false,
      formatError: formatClientError,
    },
    apolloPlugins,
    wsHooks,
    wsMaxPayloadBytes: config.wsMaxPayloadBytes,
    takeIp: buckets ? (ip) => buckets.ip.take(`ip:${ip}`) : null,
    guardHttp(app) {
      app.set('trust proxy', config.trustProxy);
      app.use(ipLimiter);
    },
    graphqlBody: () => [
      express.json({ limit: config.httpBodyLimit }),
      ...(trusted ? [trusted.middleware()] : []),
      queryLengthLimit,
      noSubscriptionOverHttp,
    ],
    finishHttp(app) {
      app.use((_req, res) => {
        res.status(404).json(errorBody('No such route.', 'NOT_FOUND'));
      });
      app.use(httpErrorHandler(logger));
    },
  };
}

/** `extensions.code` of a subscription sent over HTTP (HTTP 400). */
export const SUBSCRIPTION_OVER_HTTP = 'SUBSCRIPTION_OVER_HTTP';

const UNLIMITED_PATHS = /^\/(healthz|readyz|webhooks\/)/;

const RATE_LIMIT_MESSAGES: Record<RateLimitName, string> = {
  IP: 'Too many requests from this address; retry later.',
  COST: 'Throttled: the query cost budget of this token cannot afford this operation; retry later.',
  PURCHASES: 'Too many label purchases; retry later.',
  BATCH_ITEMS: 'The hourly budget of batch labels is spent; retry later.',
};

function errorBody(message: string, code: string, extensions: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}

/** Body-parser and route errors as JSON with a code; only 5xx are logged, none show a stack. */
function httpErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: { status?: number; type?: string }, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = typeof error.status === 'number' && error.status >= 400 ? error.status : 500;
    if (error.type === 'entity.too.large') {
      return res.status(413).json(errorBody('Request body is too large.', 'PAYLOAD_TOO_LARGE'));
    }
    if (error.type === 'entity.parse.failed') {
      return res.status(400).json(errorBody('Request body is not valid JSON.', 'BAD_REQUEST'));
    }
    if (status < 500) {
      return res.status(status).json(errorBody('The request could not be read.', 'BAD_REQUEST'));
    }
    logger.error('unexpected HTTP error', {
      error: String((error as Error).stack ?? error),
      requestId: String(req.id),
    });
    return res.status(500).json(errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
  };
}

/** The client address of a request express has not seen (a WebSocket upgrade), by `trust proxy`. */
export function clientIpOf(app: express.Express, req: IncomingMessage): string {
  const view = Object.create(app.request, {
    headers: { value: req.headers },
    socket: { value: req.socket },
  }) as express.Request;
  return view.ip ?? req.socket.remoteAddress ?? 'unknown';
}
