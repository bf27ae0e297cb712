/**
 * Every request limit in one place, with the environment variable that overrides it.
 * Numbers follow reference/style-security.md (graphql-armor defaults, OWASP, Saleor, Shopify).
 */

/** Page size of every connection (`first`): the services refuse anything outside 1..100. */
export const MAX_PAGE_SIZE = 100;
/** Page size when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 20;
/** Root `purchaseLabel` fields per operation: aliases must not batch paid label purchases. */
export const MAX_PURCHASES_PER_OPERATION = 1;

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
  /** Whether refusals say which limit and what was found (helpful; off in production). */
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
  /** `purchaseLabel` attempts per seller per minute. */
  purchasesPerMinute: number;
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
  /** Introspection over HTTP and WebSocket; off in production unless asked for. */
  introspection: boolean;
  /** Express `trust proxy`: which proxies' X-Forwarded-For names the client IP. */
  trustProxy: boolean | number | string;
  /** Largest JSON body `/graphql` accepts. */
  httpBodyLimit: string;
  /** Largest WebSocket message, in bytes. */
  wsMaxPayloadBytes: number;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

function switchFrom(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['on', 'true', '1'].includes(raw)) return true;
  if (['off', 'false', '0'].includes(raw)) return false;
  throw new Error(`${name} must be on or off`);
}

/** Express accepts a boolean, a hop count, or a comma list of addresses/subnets. */
function trustProxyFrom(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

export function loadSecurityConfig(env: NodeJS.ProcessEnv, isProduction: boolean): SecurityConfig {
  const config: SecurityConfig = {
    limits: {
      maxDepth: intFrom(env, 'GRAPHQL_MAX_DEPTH', 10),
      // armor's 5000 refuses `orders(first: 100)` of the tests' own page query (17,853):
      // allow one full page of a rich order node, not a page of pages (Saleor's cap is 50,000).
      maxCost: intFrom(env, 'GRAPHQL_MAX_COST', 50000),
      maxAliases: intFrom(env, 'GRAPHQL_MAX_ALIASES', 15),
      maxDirectives: intFrom(env, 'GRAPHQL_MAX_DIRECTIVES', 50),
      maxTokens: intFrom(env, 'GRAPHQL_MAX_TOKENS', 1000),
      maxCharacters: intFrom(env, 'GRAPHQL_MAX_CHARACTERS', 15000),
      exposeLimits: switchFrom(env, 'GRAPHQL_EXPOSE_LIMITS', !isProduction),
    },
    rateLimits: {
      enabled: switchFrom(env, 'RATE_LIMITS', true),
      ipRequestsPerMinute: intFrom(env, 'RATE_LIMIT_IP_PER_MINUTE', 300),
      // A 20-order page costs ~3,600: about three a second sustained, two max-cost queries at once.
      costPointsPerSecond: intFrom(env, 'RATE_LIMIT_COST_PER_SECOND', 10000),
      costBurst: intFrom(env, 'RATE_LIMIT_COST_BURST', 100000),
      purchasesPerMinute: intFrom(env, 'RATE_LIMIT_PURCHASES_PER_MINUTE', 10),
    },
    wsLimits: {
      enabled: switchFrom(env, 'WS_LIMITS', true),
      socketsPerToken: intFrom(env, 'WS_MAX_SOCKETS_PER_TOKEN', 10),
      socketsPerIp: intFrom(env, 'WS_MAX_SOCKETS_PER_IP', 100),
      subscriptionsPerSocket: intFrom(env, 'WS_MAX_SUBSCRIPTIONS_PER_SOCKET', 50),
      subscriptionsPerToken: intFrom(env, 'WS_MAX_SUBSCRIPTIONS_PER_TOKEN', 200),
      operationsPerSecond: intFrom(env, 'WS_OPERATIONS_PER_SECOND', 20),
      tokenRecheckMs: intFrom(env, 'WS_TOKEN_RECHECK_MS', 5000),
    },
    introspection: switchFrom(env, 'GRAPHQL_INTROSPECTION', !isProduction),
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    httpBodyLimit: '100kb',
    wsMaxPayloadBytes: 64 * 1024,
  };
  if (config.rateLimits.costBurst < config.limits.maxCost) {
    // Otherwise a query the cost limit accepts could never be afforded.
    throw new Error('RATE_LIMIT_COST_BURST must be at least GRAPHQL_MAX_COST');
  }
  return config;
}
