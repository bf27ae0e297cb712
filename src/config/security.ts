/**
 * Every request limit in one place, with the environment variable that overrides it. The numbers
 * start from graphql-armor's defaults (cost model and maxCost 5000:
 * https://escape.tech/graphql-armor/docs/plugins/cost-limit) and the OWASP GraphQL Cheat Sheet
 * (depth, amount and rate limits:
 * https://cheatsheetseries.owasp.org/cheatsheets/GraphQL_Cheat_Sheet.html); where one differs,
 * the reason is next to it.
 */
import { isIP } from 'node:net';
import { ConfigError, envInt, envString, envSwitch, parseSwitch, parseWholeNumber } from './env';
import type { Env } from './env';

/** Page size of every connection (`first`): the services refuse anything outside 1..100. */
export const MAX_PAGE_SIZE = 100;
/** Page size when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 20;
/** Root `purchaseLabel` fields per operation: aliases must not batch paid label purchases. */
export const MAX_PURCHASES_PER_OPERATION = 1;
/** Items of one createLabelBatch: the most one batch request may spend of the item budget. */
export const MAX_BATCH_ITEMS = 100;

export interface QueryLimits {
  /** Deepest field nesting; fragments are flattened so they cannot hide depth. */
  maxDepth: number;
  /** Cost in graphql-armor's model (objects 2, scalars 1, ×1.5 per level, × the page size). */
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexer tokens; counted while parsing, so a huge document is cut off early. */
  maxTokens: number;
  /** Characters of the query text, checked before parsing. */
  maxCharacters: number;
  /** Whether refusals say which limit and what was found (helpful; on only with COUNTERSIGN_DEV). */
  exposeLimits: boolean;
}

export interface RateLimits {
  /** Off: no bucket is consulted (tests and benchmarks that measure throughput). */
  enabled: boolean;
  /** HTTP requests per client IP per minute (token bucket holding one minute's worth). */
  ipRequestsPerMinute: number;
  /** Query cost points a token earns back per second. */
  costPointsPerSecond: number;
  /** Cost points a token may spend at once (bucket size). */
  costBurst: number;
  /** `purchaseLabel` (and `createLabelBatch`) requests per seller per minute. */
  purchasesPerMinute: number;
  /** Labels a seller may ask for in batches per hour (each batch spends its item count). */
  batchItemsPerHour: number;
}

/** WebSocket limits; sockets and subscriptions are counted per process, operations per socket. */
export interface WsLimits {
  /** Off: none of these is enforced (tests and benchmarks that open many sockets). */
  enabled: boolean;
  socketsPerToken: number;
  socketsPerIp: number;
  subscriptionsPerSocket: number;
  subscriptionsPerToken: number;
  /** Operations a socket may start per second. */
  operationsPerSecond: number;
  /** How often each open socket's token is read again; a revoked one is closed with 4403. */
  tokenRecheckMs: number;
}

export interface SecurityConfig {
  limits: QueryLimits;
  rateLimits: RateLimits;
  wsLimits: WsLimits;
  /** Introspection over HTTP and WebSocket; on only with COUNTERSIGN_DEV unless asked for. */
  introspection: boolean;
  /**
   * Trusted documents: with a manifest (sha256 hex of a document → the document, as GraphQL
   * Code Generator's client-preset `persistedDocuments` writes it), and `enforce`, only those
   * documents run; without `enforce` (development) ids are resolved and any query runs.
   */
  trustedDocuments: { manifestPath: string | null; enforce: boolean };
  /** Express `trust proxy`: which proxies' X-Forwarded-For names the client IP. */
  trustProxy: boolean | number | string;
  /** Largest JSON body `/graphql` accepts. */
  httpBodyLimit: string;
  /** Largest WebSocket message, in bytes. */
  wsMaxPayloadBytes: number;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address, `address/prefix` or `address/netmask`, as proxy-addr (Express) takes them. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address, range, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (range === undefined) return true;
  const prefix = parseWholeNumber(range);
  return prefix !== undefined ? prefix <= (family === 4 ? 32 : 128) : isIP(range) === family;
}

/**
 * Express `trust proxy`. Not a switch: digits are a hop count (`1` trusts one proxy, not every
 * one, which would let clients pick their IP); on/true trusts all, off/false none; otherwise a
 * comma list of addresses, subnets or proxy-addr's names.
 */
function trustProxyFrom(env: Env): boolean | number | string {
  const name = 'TRUST_PROXY';
  const raw = envString(env, name)?.trim();
  if (raw === undefined) return false;
  if (parseWholeNumber(raw) !== undefined) return envInt(env, name, 0, { min: 0, max: 100 });
  const on = parseSwitch(raw);
  if (on !== undefined) return on;
  const entries = raw.split(',').map((entry) => entry.trim());
  if (!entries.every(isProxyAddress)) {
    throw new ConfigError(
      name,
      `${name} must be on, true, off, false, a hop count, or a comma list of addresses, ` +
        `subnets or ${PROXY_NAMES.join('/')} (got "${raw}")`,
    );
  }
  return entries.join(',');
}

/** `devMode`: COUNTERSIGN_DEV, which turns the helpful but revealing defaults on. */
export function loadSecurityConfig(env: Env, devMode: boolean): SecurityConfig {
  const config: SecurityConfig = {
    limits: {
      maxDepth: envInt(env, 'GRAPHQL_MAX_DEPTH', 10),
      // armor's 5000 refuses `orders(first: 100)` of the tests' own page query (17,853):
      // allow one full page of a rich order node, not a page of pages (Saleor's cap is 50,000).
      maxCost: envInt(env, 'GRAPHQL_MAX_COST', 50000),
      maxAliases: envInt(env, 'GRAPHQL_MAX_ALIASES', 15),
      maxDirectives: envInt(env, 'GRAPHQL_MAX_DIRECTIVES', 50),
      maxTokens: envInt(env, 'GRAPHQL_MAX_TOKENS', 1000),
      maxCharacters: envInt(env, 'GRAPHQL_MAX_CHARACTERS', 15000),
      exposeLimits: envSwitch(env, 'GRAPHQL_EXPOSE_LIMITS', devMode),
    },
    rateLimits: {
      enabled: envSwitch(env, 'RATE_LIMITS', true),
      ipRequestsPerMinute: envInt(env, 'RATE_LIMIT_IP_PER_MINUTE', 300),
      // A 20-order page costs ~3,600: about three a second sustained, two max-cost queries at once.
      costPointsPerSecond: envInt(env, 'RATE_LIMIT_COST_PER_SECOND', 10000),
      costBurst: envInt(env, 'RATE_LIMIT_COST_BURST', 100000),
      purchasesPerMinute: envInt(env, 'RATE_LIMIT_PURCHASES_PER_MINUTE', 10),
      // Five full batches an hour; a single purchaseLabel keeps its own per-minute limit.
      batchItemsPerHour: envInt(env, 'RATE_LIMIT_BATCH_ITEMS_PER_HOUR', 500),
    },
    wsLimits: {
      enabled: envSwitch(env, 'WS_LIMITS', true),
      socketsPerToken: envInt(env, 'WS_MAX_SOCKETS_PER_TOKEN', 10),
      socketsPerIp: envInt(env, 'WS_MAX_SOCKETS_PER_IP', 100),
      subscriptionsPerSocket: envInt(env, 'WS_MAX_SUBSCRIPTIONS_PER_SOCKET', 50),
      subscriptionsPerToken: envInt(env, 'WS_MAX_SUBSCRIPTIONS_PER_TOKEN', 200),
      operationsPerSecond: envInt(env, 'WS_OPERATIONS_PER_SECOND', 20),
      tokenRecheckMs: envInt(env, 'WS_TOKEN_RECHECK_MS', 5000),
    },
    introspection: envSwitch(env, 'GRAPHQL_INTROSPECTION', devMode),
    trustedDocuments: {
      manifestPath: envString(env, 'GRAPHQL_TRUSTED_DOCUMENTS')?.trim() || null,
      // Development (and its IDE) runs any query unless told otherwise.
      enforce: envSwitch(env, 'GRAPHQL_TRUSTED_DOCUMENTS_ENFORCE', !devMode),
    },
    trustProxy: trustProxyFrom(env),
    // importOrders carries up to 100 orders with addresses and lines (~1 kB each): room for it.
    httpBodyLimit: '512kb',
    wsMaxPayloadBytes: 64 * 1024,
  };
  if (config.rateLimits.batchItemsPerHour < MAX_BATCH_ITEMS) {
    // Otherwise a full batch could never be afforded.
    throw new ConfigError(
      'RATE_LIMIT_BATCH_ITEMS_PER_HOUR',
      `RATE_LIMIT_BATCH_ITEMS_PER_HOUR must be at least ${MAX_BATCH_ITEMS} (one full batch)`,
    );
  }
  if (config.rateLimits.costBurst < config.limits.maxCost) {
    // Otherwise a query the cost limit accepts could never be afforded.
    throw new ConfigError(
      'RATE_LIMIT_COST_BURST',
      `RATE_LIMIT_COST_BURST must be at least GRAPHQL_MAX_COST (${config.limits.maxCost})`,
    );
  }
  return config;
}
