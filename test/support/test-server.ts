import { getEventListeners } from 'node:events';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { DocumentNode } from 'graphql';
import { startCountersign } from '../../src/bootstrap';
import type { Countersign, StartOptions } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { SqlCounter } from '../../src/db/sql-counter';
import { seedAndAssess } from '../../src/cli/seed-if-empty';
import { devToken } from '../../seeds/dev-tokens';
import { Role } from '../../src/entities/enums';
import type { Topics } from '../../src/pubsub/event-bus';
import { SandboxGateway } from '../../src/carriers/sandbox.gateway';
import { createTestStores } from './test-stores';
import type { TestStores } from './test-stores';

export interface TestServer extends Countersign {
  /** The carrier this server's services buy and void through: spy on it or break it. */
  carriers: SandboxGateway;
  sql: SqlCounter;
  /** Subscribers this instance holds on `topic:id` (graphql-ws has no "subscribed" ack). */
  listeners(topic: keyof Topics, id: number): number;
  /** The database (and Redis namespace) this server uses; a peer shares them. */
  stores: TestStores;
  /** Plaintext dev tokens by label, e.g. tokens.seller[0]. */
  tokens: { seller: string[]; buyer: string[]; admin: string; platform: string };
  /** POSTs a GraphQL operation; returns the parsed JSON body. */
  gql<TResult = Record<string, unknown>, TVars = Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVars> | DocumentNode | string,
    variables?: TVars,
    token?: string | null,
  ): Promise<GraphQLResponse<TResult>>;
}

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

export interface TestServerOptions {
  /**
   * Start a second instance over the same database and Redis as this one (scale-out tests): it
   * neither seeds nor, when stopped, drops what the first one created; it shares its tokens.
   */
  peerOf?: TestServer;
  /** How long a purchase or void waits for the carrier (default 1 s: the sandbox answers at once). */
  carrierTimeoutMs?: number;
  /** Where the server's log lines go (StartOptions.logDestination); pass LOG_LEVEL too. */
  logDestination?: StartOptions['logDestination'];
}

/**
 * Starts a real server on a random port over a fresh database, seeded with the deterministic
 * fixtures: a SQLite temp file by default; with TEST_DATABASE_URL a PostgreSQL schema of its own,
 * and with TEST_REDIS_URL Redis pub/sub in a channel namespace of its own (see test-stores.ts).
 */
export async function startTestServer(
  env: NodeJS.ProcessEnv = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const peer = options.peerOf;
  const stores = peer ? peer.stores : await createTestStores();
  const config = loadConfig({
    NODE_ENV: 'test',
    // The dev conveniences are off unless asked for; the suites use the dev tokens, the IDE and the
    // dev webhook secrets. A production server passes COUNTERSIGN_DEV: 'off' and real secrets.
    COUNTERSIGN_DEV: 'on',
    PORT: '0',
    OUTBOX_WORKER: 'off',
    WEBHOOK_WORKER: 'off',
    CARRIER_RECONCILER: 'off',
    LABEL_BATCH_WORKER: 'off',
    // Suites share 127.0.0.1, buy many labels and open many sockets per token; the limits' own
    // tests turn them back on.
    RATE_LIMITS: 'off',
    WS_LIMITS: 'off',
    ...stores.env,
    ...env,
  });
  const sql = new SqlCounter();
  const carriers = new SandboxGateway();
  const fanout = new EventTarget();
  let countersign: Countersign;
  let tokens: TestServer['tokens'] = peer?.tokens ?? {
    seller: [],
    buyer: [],
    admin: '',
    platform: '',
  };
  try {
    // The IDE prefills the first seed seller's dev token (tokens are derived, so known before
    // seeding), as `npm start` does; without COUNTERSIGN_DEV there is no IDE.
    countersign = await startCountersign(config, {
      sqlCounter: sql,
      logDestination: options.logDestination,
      ideToken: config.devMode ? devToken(Role.SELLER, 1) : null,
      schema: stores.schema,
      redisChannelPrefix: stores.redisChannelPrefix,
      collaborators: { carriers, carrierTimeoutMs: options.carrierTimeoutMs ?? 1000 },
      fanout,
      // Seeded before the server listens, as `npm start` does.
      beforeListen: peer
        ? undefined
        : async ({ db }) => {
            tokens = tokensOf((await db.transaction((tx) => seedAndAssess(tx.manager))).tokens);
          },
    });
  } catch (error) {
    // A failed start has closed what it opened.
    if (!peer) await stores.release();
    throw error;
  }
  const stop = countersign.stop;
  let stopped: Promise<void> | null = null;
  return Object.assign(countersign, {
    sql,
    stores,
    carriers,
    tokens,
    listeners: (topic: keyof Topics, id: number) =>
      getEventListeners(fanout, `${topic}:${id}`).length,
    stop: () =>
      (stopped ??= (async () => {
        await stop();
        if (!peer) await stores.release();
      })()),
    gql: async <TResult, TVars>(
      document: TypedDocumentNode<TResult, TVars> | DocumentNode | string,
      variables?: TVars,
      token?: string | null,
    ): Promise<GraphQLResponse<TResult>> => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const query = typeof document === 'string' ? document : print(document);
      const res = await fetch(countersign.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GraphQLResponse<TResult>;
    },
  });
}

function tokensOf(tokens: Array<{ role: string; token: string }>): TestServer['tokens'] {
  return {
    seller: tokens.filter((t) => t.role === 'SELLER').map((t) => t.token),
    buyer: tokens.filter((t) => t.role === 'BUYER').map((t) => t.token),
    admin: tokens.find((t) => t.role === 'ADMIN')?.token ?? '',
    platform: tokens.find((t) => t.role === 'PLATFORM')?.token ?? '',
  };
}
