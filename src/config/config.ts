import path from 'node:path';
import { loadSecurityConfig } from './security';
import type { SecurityConfig } from './security';

/** Log levels in increasing severity; a message is written when its level is at or above LOG_LEVEL. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface CarrierSecrets {
  /** Secrets accepted for a carrier's webhook signatures; two during a rotation. */
  UPS: string[];
  USPS: string[];
}

export interface AppConfig {
  port: number;
  /** `sqlite:<file>` / a bare file path, `:memory:`, or `postgres://…`. */
  databaseUrl: string;
  redisUrl: string | undefined;
  /** Prefix of this deployment's Redis channels; instances that share events share it. */
  redisChannelPrefix: string;
  nodeEnv: string;
  isProduction: boolean;
  logLevel: LogLevel;
  carrierSecrets: CarrierSecrets;
  /** How often the outbox worker polls for undelivered notifications. */
  outboxPollMs: number;
  /** Whether the server runs the outbox worker in-process. */
  runOutboxWorker: boolean;
  /** PostgreSQL connections per process. */
  databasePoolSize: number;
  /** Apply pending migrations at start (off: `npm run migrate` does it once, before rollout). */
  migrateOnStart: boolean;
  /** Query limits, rate limits, introspection: see ./security.ts. */
  security: SecurityConfig;
}

function secretsFor(env: NodeJS.ProcessEnv, carrier: 'UPS' | 'USPS', devDefault: string): string[] {
  const raw = env[`CARRIER_SECRET_${carrier}`];
  const previous = env[`CARRIER_SECRET_${carrier}_PREVIOUS`];
  const list = [raw ?? devDefault, previous].filter((s): s is string => !!s && s.length > 0);
  return list;
}

/**
 * A whole number from the environment, or `fallback` when unset. `Number('abc')` is NaN and
 * `setTimeout(fn, NaN)` fires at once: a typo must stop the start, not spin a poller.
 */
function intFrom(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  { min = 1, max = Number.MAX_SAFE_INTEGER } = {},
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min} to ${max}`;
    throw new Error(`${name} must be a whole number, ${range} (got "${raw}")`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const isProduction = nodeEnv === 'production';
  const logLevel = (env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info')) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const port = intFrom(env, 'PORT', 4000, { min: 0, max: 65535 });
  if (isProduction && (!env.CARRIER_SECRET_UPS || !env.CARRIER_SECRET_USPS)) {
    throw new Error('CARRIER_SECRET_UPS and CARRIER_SECRET_USPS are required in production');
  }
  return {
    port,
    databaseUrl:
      env.DATABASE_URL ?? `sqlite:${path.join(process.cwd(), 'data', 'countersign.sqlite')}`,
    redisUrl: env.REDIS_URL || undefined,
    redisChannelPrefix: env.REDIS_CHANNEL_PREFIX || 'countersign:',
    nodeEnv,
    isProduction,
    logLevel,
    carrierSecrets: {
      UPS: secretsFor(env, 'UPS', 'dev-ups-webhook-secret'),
      USPS: secretsFor(env, 'USPS', 'dev-usps-webhook-secret'),
    },
    // setTimeout treats anything above 2^31 - 1 ms as 1 ms.
    outboxPollMs: intFrom(env, 'OUTBOX_POLL_MS', 500, { max: 2_147_483_647 }),
    runOutboxWorker: env.OUTBOX_WORKER !== 'off',
    databasePoolSize: intFrom(env, 'DATABASE_POOL_SIZE', 10),
    migrateOnStart: env.MIGRATE_ON_START !== 'off',
    security: loadSecurityConfig(env, isProduction),
  };
}
