import path from 'node:path';
import { ConfigError, envEnum, envInt, envString, envSwitch, envUrl } from './env';
import type { Env } from './env';
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
  /** Whether the server resolves pending carrier operations (at start, then every interval). */
  runCarrierReconciler: boolean;
  /** How often the carrier reconciler looks for unresolved label purchases and voids. */
  carrierReconcileMs: number;
  /** PostgreSQL connections per process. */
  databasePoolSize: number;
  /** Apply pending migrations at start (off: `npm run migrate` does it once, before rollout). */
  migrateOnStart: boolean;
  /** Query limits, rate limits, introspection: see ./security.ts. */
  security: SecurityConfig;
}

function secretsFor(env: Env, carrier: 'UPS' | 'USPS', devDefault: string): string[] {
  const current = envString(env, `CARRIER_SECRET_${carrier}`) ?? devDefault;
  const previous = envString(env, `CARRIER_SECRET_${carrier}_PREVIOUS`);
  return previous === undefined ? [current] : [current, previous];
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = envString(env, 'NODE_ENV')?.trim() ?? 'development';
  const isProduction = nodeEnv === 'production';
  const logLevel = envEnum(env, 'LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info');
  const port = envInt(env, 'PORT', 4000, { min: 0, max: 65535 });
  for (const name of ['CARRIER_SECRET_UPS', 'CARRIER_SECRET_USPS']) {
    if (isProduction && envString(env, name) === undefined) {
      throw new ConfigError(name, `${name} is required in production`);
    }
  }
  return {
    port,
    databaseUrl:
      envString(env, 'DATABASE_URL') ??
      `sqlite:${path.join(process.cwd(), 'data', 'countersign.sqlite')}`,
    redisUrl: envUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisChannelPrefix: envString(env, 'REDIS_CHANNEL_PREFIX') ?? 'countersign:',
    nodeEnv,
    isProduction,
    logLevel,
    carrierSecrets: {
      UPS: secretsFor(env, 'UPS', 'dev-ups-webhook-secret'),
      USPS: secretsFor(env, 'USPS', 'dev-usps-webhook-secret'),
    },
    // setTimeout treats anything above 2^31 - 1 ms as 1 ms.
    outboxPollMs: envInt(env, 'OUTBOX_POLL_MS', 500, { max: 2_147_483_647 }),
    runOutboxWorker: envSwitch(env, 'OUTBOX_WORKER', true),
    runCarrierReconciler: envSwitch(env, 'CARRIER_RECONCILER', true),
    carrierReconcileMs: envInt(env, 'CARRIER_RECONCILE_MS', 60_000, { max: 2_147_483_647 }),
    databasePoolSize: envInt(env, 'DATABASE_POOL_SIZE', 10),
    migrateOnStart: envSwitch(env, 'MIGRATE_ON_START', true),
    security: loadSecurityConfig(env, isProduction),
  };
}
