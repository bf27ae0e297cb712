import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../config/logger';
import type { GraphQLContext } from '../graphql/context';
import { logUnexpected } from './format-error';

/** The header a client may name its request by, echoed on every response. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * A client's request id is kept only when it is short and plain (it lands in logs and database
 * rows); anything else — too long, control characters, spaces, quotes — is replaced.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestIdOf(header: unknown): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/** What the GraphQL layer adds to a request's log line. */
interface OperationLine {
  operationName: string | null;
  cost: number | null;
  requestedCost: number | null;
  outcome: string;
}

/** Read when the line is written: plugins' willSendResponse hooks run concurrently. */
const lines = new WeakMap<ServerResponse, () => OperationLine>();
/** By request id: Apollo hands plugins a copy of the context object, not the one we built. */
const responses = new Map<string, ServerResponse>();

/**
 * One log line per HTTP request (pino-http): method, path, status, duration (`responseTime`),
 * request id and, for GraphQL, the operation's name, cost and outcome. Every request gets an
 * X-Request-Id (the client's when sane, else a new UUID), echoed in the response header and
 * written on the request's line. Other lines written while serving a request name it
 * themselves (`requestId` from the request context or `req.id`): an AsyncLocalStorage scope
 * would do it implicitly, but on Node 20 it runs hooks on every promise in the process, which
 * was most of a subscription event's fan-out CPU. Probes are not logged.
 */
export function requestLogging(logger: Logger): {
  middleware: RequestHandler[];
  /** Ties a GraphQL context to its HTTP response, for the plugin to annotate the line. */
  bind(ctx: GraphQLContext, res: ServerResponse): void;
  plugin: ApolloServerPlugin<GraphQLContext>;
} {
  const http = pinoHttp({
    logger: logger.pino,
    genReqId: (req, res) => {
      const id = requestIdOf(req.headers['x-request-id']);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    autoLogging: { ignore: (req) => /^\/(healthz|readyz)\b/.test(req.url ?? '') },
    // No headers, bodies or query strings in the line: they carry tokens and secrets.
    serializers: {
      req: (req: { method?: string; url?: string; raw?: { originalUrl?: string } }) => ({
        method: req.method,
        path: (req.raw?.originalUrl ?? req.url ?? '').split('?')[0],
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    customProps: (req, res) => ({ requestId: String(req.id), ...lines.get(res)?.() }),
    customSuccessMessage: (req, res) => (lines.has(res) ? 'graphql request' : 'http request'),
    customErrorMessage: () => 'request failed',
  });
  return {
    middleware: [http],
    bind: (ctx, res) => {
      responses.set(ctx.requestId, res);
      res.once('close', () => responses.delete(ctx.requestId));
    },
    plugin: {
      async requestDidStart() {
        return {
          // Errors the client sees only as INTERNAL_SERVER_ERROR, logged with the request's id.
          async didEncounterErrors({ contextValue, errors }) {
            logUnexpected(logger, errors, { requestId: contextValue.requestId });
          },
          async willSendResponse({ contextValue, response, operationName }) {
            const res = responses.get(contextValue.requestId);
            if (!res) return;
            const body = response.body.kind === 'single' ? response.body.singleResult : null;
            lines.set(res, () => {
              const cost = body?.extensions?.cost as
                { actualQueryCost: number | null; requestedQueryCost: number } | undefined;
              const codes = (body?.errors ?? []).map((e) => String(e.extensions?.code ?? 'ERROR'));
              return {
                operationName: operationName ?? null,
                cost: cost?.actualQueryCost ?? null,
                requestedCost: cost?.requestedQueryCost ?? null,
                outcome: codes.length ? [...new Set(codes)].join(',') : 'ok',
              };
            });
          },
        };
      },
    },
  };
}
