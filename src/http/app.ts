import http from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { getOperationAST } from 'graphql';
import { WebSocketServer } from 'ws';
import type { AppConfig } from '../config/config';
import type { Logger } from '../config/logger';
import type { GraphQLContext } from '../graphql/context';
import type { Database } from '../db/database';
import { createLoaders, lazyLoaders } from '../loaders/loaders';
import { InternedDocuments, sharedSubscribe } from '../graphql/shared-subscribe';
import type { DirectSink } from '../graphql/shared-subscribe';
import type { Services } from '../services/services';
import { authenticate, bearerToken, liveTokenIds } from '../auth/authenticate';
import type { Viewer } from '../auth/viewer';
import { mountGraphiql } from './graphiql';
import { seededIds } from './ide/seeded-ids';
import { SharedPayloads } from './shared-payloads';
import { clientIpOf, createSecurity } from './security';
import type { RateLimitStore } from './rate-limit';
import { WsGuard } from './ws-guard';
import { serveGraphqlWs, sharedOperationTexts } from './ws-transport';
import { requestLogging } from './request-log';
import { jitGateway } from './jit-executor';
import type { UpgradeRefusal } from './ws-guard';

export interface AppParts {
  config: AppConfig;
  logger: Logger;
  db: Database;
  schema: GraphQLSchema;
  services: Services;
  /** Extra routes mounted before GraphQL (webhooks). */
  routes?: (app: express.Express) => void;
  /** The dev token the IDE prefills; the IDE is served outside production only. */
  ideToken?: string | null;
  /** More for /readyz to check besides the database (Redis); throws when not ready. */
  readiness?: () => Promise<void>;
  /** Where rate limit counters live: Redis (shared by the instances) or, without, memory. */
  limitStore?: RateLimitStore;
}

export interface RunningApp {
  httpServer: http.Server;
  port: number;
  /** Stops taking connections, drains in-flight requests and subscriptions. */
  stop(): Promise<void>;
}

type WsParams = { authorization?: unknown; Authorization?: unknown };
/** Per socket: who it is (refreshed per operation) and the token to check it again with. */
type WsExtra = { viewer?: Viewer | null; authorization?: string };
/** What a running subscription keeps: no loaders and no request id (each event gets its own). */
type SubscriptionContext = Omit<GraphQLContext, 'loaders' | 'requestId'>;

/** What resolvers decide visibility by; subscribers with equal audiences see equal results. */
/** Every GraphQL answer is the caller's own data: never to be stored by a cache on the way. */
const noStorePlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

const audienceOf = (viewer: Viewer | null): string =>
  viewer ? `${viewer.role}:${viewer.sellerId ?? ''}:${viewer.buyerId ?? ''}` : 'anonymous';

/** Serves GraphQL over HTTP and graphql-ws on the same port and path. */
export async function startApp(parts: AppParts): Promise<RunningApp> {
  const { config, logger, db, schema, services } = parts;
  const app = express();
  app.disable('x-powered-by');
  // Express hashes every response body for an ETag; GraphQL answers POSTs (no-store), which no
  // client revalidates, so that hash of each 60 KB dashboard page was wasted CPU.
  app.set('etag', false);
  const httpServer = http.createServer(app);
  // First: every request, refused ones included, gets its id and its log line.
  const requestLog = requestLogging(logger);
  app.use(...requestLog.middleware);
  // Every limit and error mask, on HTTP and WebSocket alike: ./security.ts.
  const security = createSecurity({
    config: config.security,
    schema,
    logger,
    limitStore: parts.limitStore,
  });
  security.guardHttp(app);
  // Sockets, subscriptions and operations per socket; revoked tokens' sockets closed: ./ws-guard.ts.
  const guard = new WsGuard({
    limits: config.security.wsLimits,
    logger,
    liveTokens: (ids) => liveTokenIds(db.manager, ids),
    takeIp: security.takeIp,
  });

  const contextFor = async (
    authorization: string | undefined | null,
    requestId: string,
  ): Promise<GraphQLContext> => ({
    requestId,
    viewer: await authenticate(db.manager, bearerToken(authorization)),
    loaders: createLoaders(db.manager),
    services,
  });

  const sharedPayloads = new SharedPayloads();
  const documents = new InternedDocuments();
  // Each WebSocket operation's context → the way its subscription's results reach its socket.
  const sinks = new WeakMap<object, DirectSink>();
  const wsServer = new WebSocketServer({
    noServer: true,
    path: '/graphql',
    maxPayload: security.wsMaxPayloadBytes,
    WebSocket: sharedPayloads.webSocketClass(),
    // Subscription frames are made once and written to many sockets' streams as they are
    // (shared-payloads.ts); a compressed socket would need its own, and queue them.
    perMessageDeflate: false,
  });
  // Upgrades are taken here, not by `ws`, so the limits can refuse one with an HTTP status.
  httpServer.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!wsServer.shouldHandle(req)) {
      wsServer.handleUpgrade(req, socket, head, () => undefined); // answers 400
      return;
    }
    const destroy = () => socket.destroy();
    socket.on('error', destroy);
    const ip = clientIpOf(app, req);
    void guard.admitUpgrade(ip).then(
      (refusal) => {
        if (refusal) return refuseUpgrade(socket, refusal);
        socket.off('error', destroy); // `ws` handles the socket's errors from here
        wsServer.handleUpgrade(req, socket, head, (ws) => {
          ws.once('close', guard.opened(ip));
          wsServer.emit('connection', ws, req);
        });
      },
      (error: unknown) => {
        logger.error('websocket upgrade failed', { error: String(error) });
        socket.destroy();
      },
    );
  });
  const wsHooks = security.wsHooks<WsParams, WsExtra>((wsCtx) => wsCtx.extra.viewer ?? null);
  const wsCleanup = serveGraphqlWs<WsParams, WsExtra>(
    {
      schema,
      // One execution per event and audience, shared by its subscribers (fan-out cost).
      subscribe: sharedSubscribe({
        audienceOf: (ctx) => audienceOf((ctx as GraphQLContext).viewer),
        // Fresh loaders per event: what subscribing or an earlier event read is not reused. An
        // event's execution (shared by its audience's subscribers) is its own request.
        contextForEvent: (ctx): GraphQLContext => ({
          ...(ctx as SubscriptionContext),
          requestId: randomUUID(),
          loaders: lazyLoaders(db.manager),
        }),
        // Subscribing built all the loaders and cached the rows it checked (20+ KB); a socket
        // would hold them for its whole life.
        retainedContext: (ctx): SubscriptionContext => {
          const { viewer } = ctx as GraphQLContext;
          return { viewer, services };
        },
        onShared: (result) => sharedPayloads.share(result),
        // ...and written to each socket in one loop, skipping graphql-ws' per-message path where
        // its hooks would change nothing (shared-payloads.ts says which results those are).
        sinkFor: (ctx) => sinks.get(ctx as object),
        documents,
      }),
      // ...and serialized once for all its sockets.
      jsonMessageReplacer: sharedPayloads.replacer,
      jsonMessageReviver: sharedOperationTexts(),
      ...wsHooks,
      // The socket's rate first (nothing parsed yet), then every check HTTP makes, then the
      // subscription counts.
      onSubscribe: async (wsCtx, id, payload) => {
        const tooFast = await guard.beforeOperation(wsCtx);
        if (tooFast) return [tooFast];
        const args = await wsHooks.onSubscribe!(wsCtx, id, payload);
        if (!args || !('document' in args)) return args;
        if (getOperationAST(args.document, args.operationName)?.operation !== 'subscription') {
          return args;
        }
        const tooMany = guard.subscribing(wsCtx, id);
        if (tooMany) return [tooMany];
        // graphql-ws keeps the operation's AST (and through it the parse's tokens) while the
        // subscription runs: let it be the one AST every subscriber of this text shares.
        return { ...args, document: documents.intern(args.document).document };
      },
      onComplete: (wsCtx, id) => guard.completed(wsCtx, id),
      onClose: (wsCtx) => guard.closed(wsCtx),
      // Refuse the socket (4403) unless connectionParams carry a valid token.
      onConnect: async (wsCtx) => {
        const params = wsCtx.connectionParams ?? {};
        // Header-style clients (GraphiQL) may send `Authorization`; accept either case.
        const value = params.authorization ?? params.Authorization;
        const raw = typeof value === 'string' ? value : undefined;
        const viewer = await authenticate(db.manager, bearerToken(raw));
        if (!viewer) return false;
        // Beyond the token's most sockets: closed with 4429 (then `false` sends nothing more).
        if (!guard.connect(wsCtx, viewer.tokenId)) return false;
        wsCtx.extra.viewer = viewer;
        wsCtx.extra.authorization = raw;
        return true;
      },
      // Per operation, the token again (one indexed read): a token revoked while its socket is
      // open starts nothing more (resolvers answer UNAUTHENTICATED). Events of subscriptions
      // already running cost no read. Fresh loaders per operation.
      context: async (wsCtx, id, _payload, args): Promise<GraphQLContext> => {
        const viewer = await authenticate(db.manager, bearerToken(wsCtx.extra.authorization));
        wsCtx.extra.viewer = viewer;
        const context = {
          requestId: randomUUID(),
          viewer,
          services,
          loaders: lazyLoaders(db.manager),
        };
        // Only a subscription has results to send past graphql-ws.
        if (getOperationAST(args.document, args.operationName)?.operation === 'subscription') {
          sinks.set(context, sharedPayloads.sink(wsCtx.extra.socket, wsCtx.extra.stream, id));
        }
        return context;
      },
    },
    wsServer,
    (message, error) => logger.error(message, { error: String(error) }),
  );

  const apollo = new ApolloServer<GraphQLContext>({
    // Executes through graphql-jit once an operation repeats (jit-executor.ts says why).
    gateway: jitGateway(schema),
    ...security.apolloOptions,
    // main.ts shuts down on SIGTERM/SIGINT (HTTP, WebSocket, workers, Redis, database, in order);
    // Apollo's own handler would race it, and its stop() then never settled.
    stopOnTerminationSignals: false,
    plugins: [
      ...security.apolloPlugins,
      // After the security plugin: the line reads the cost it settled.
      requestLog.plugin,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's default landing page loads from a CDN; our own IDE is served instead.
      ApolloServerPluginLandingPageDisabled(),
      // No field carries a cache hint, so the default cache-control plugin only ever answered
      // `no-store`, at the price of a hook and a wrapper on every resolved field (a third of
      // W1's allocation). The header stays, set once per response.
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin,
      {
        async serverWillStart() {
          return {
            async drainServer() {
              guard.stop();
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await db.manager.query('SELECT 1');
      await parts.readiness?.();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  parts.routes?.(app);
  if (config.devMode) {
    const ideToken = parts.ideToken ?? null;
    mountGraphiql(app, {
      defaultToken: ideToken,
      // The tabs' variables: the IDE seller's real ids, read on each page load.
      seededIds: async () => {
        const viewer = await authenticate(db.manager, ideToken);
        return viewer?.sellerId != null ? seededIds(db.manager, viewer.sellerId) : {};
      },
    });
  }
  app.use(
    '/graphql',
    ...security.graphqlBody(),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const ctx = await contextFor(req.headers.authorization, String(req.id));
        requestLog.bind(ctx, res);
        return ctx;
      },
    }),
  );
  security.finishHttp(app);

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // E.g. the port is taken: release what started, so the caller can report and exit.
    await apollo.stop();
    throw error;
  }
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info('server listening', { port, url: `http://localhost:${port}/graphql` });

  let stopping: Promise<void> | null = null;
  return {
    httpServer,
    port,
    stop: () => (stopping ??= apollo.stop()),
  };
}

/** Answers a refused WebSocket upgrade with its status and a JSON error, and closes it. */
function refuseUpgrade(socket: Duplex, refusal: UpgradeRefusal): void {
  const body = JSON.stringify(refusal.body);
  const headers = [
    `HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status] ?? ''}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(refusal.retryAfterSeconds ? [`Retry-After: ${refusal.retryAfterSeconds}`] : []),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}
