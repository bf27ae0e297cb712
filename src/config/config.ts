import path from 'node:path';
import { ConfigError, envEnum, envInt, envString, envSwitch, envUrl } from './env';
import type { Env } from './env';
import { loadNotifyConfig } from './notify';
import type { NotifyConfig } from './notify';
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

export interface LabelDocumentSettings {
  /** HMAC-SHA256 key of document links (LABEL_DOCUMENT_SECRET; required in production). */
  secret: string;
  /** How long a document link works after it is minted, in seconds. */
  ttlSeconds: number;
  /** Origin the links are absolute to (PUBLIC_BASE_URL); unset: a path on the API's origin. */
  publicBaseUrl: string | undefined;
}

/** Outgoing webhooks (see README "Outgoing webhooks"). */
export interface WebhookSettings {
  /** WEBHOOK_WORKER: whether the server delivers webhooks in-process. */
  runWorker: boolean;
  pollMs: number;
  /** How long one POST may take. */
  timeoutMs: number;
  /** Attempts before a delivery is FAILED. */
  maxAttempts: number;
  /** Backoff after the n-th failed attempt: base * 2^(n-1), at most maxBackoffMs. */
  backoffBaseMs: number;
  maxBackoffMs: number;
  /** FAILED deliveries in a row that disable an endpoint. */
  disableAfter: number;
  /** Hosts exempt from the private-address rule, and allowed over http (tests, local receivers). */
  allowedHosts: string[];
}

/** Not-received claims (see README "Claims"). */
export interface ClaimSettings {
  /**
   * CLAIM_FILING_WINDOW_DAYS: how long after delivery (or after the order became overdue) a buyer
   * may file. Default 30, TikTok Shop's window for "package wasn't received"
   * (https://business.tiktokshop.com/us/blog/detail/10021813).
   */
  filingWindowDays: number;
  /**
   * CLAIM_SELLER_RESPONSE_HOURS: how long the seller has to answer. Default 72, eBay's three days
   * for item-not-received requests
   * (https://www.ebay.com/help/selling/managing-returns-refunds/helping-buyers-items-not-received?id=4116).
   */
  sellerResponseHours: number;
  /**
   * CLAIM_OVERDUE_GRACE_DAYS: days past the carrier's estimated delivery after which an
   * undelivered order counts as overdue (claimable).
   */
  overdueGraceDays: number;
  /**
   * CLAIM_OVERDUE_WITHOUT_ESTIMATE_DAYS: without a carrier estimate, days after the label was
   * bought after which an undelivered order counts as overdue.
   */
  overdueWithoutEstimateDays: number;
}

/** The claim settings when no variable sets them (see ClaimSettings for their sources). */
export const DEFAULT_CLAIM_SETTINGS: Readonly<ClaimSettings> = Object.freeze({
  filingWindowDays: 30,
  sellerResponseHours: 72,
  overdueGraceDays: 3,
  overdueWithoutEstimateDays: 14,
});

export interface AppConfig {
  port: number;
  /** `sqlite:<file>` / a bare file path, `:memory:`, or `postgres://…`. */
  databaseUrl: string;
  redisUrl: string | undefined;
  /** Prefix of this deployment's Redis channels; instances that share events share it. */
  redisChannelPrefix: string;
  nodeEnv: string;
  /**
   * COUNTERSIGN_DEV: the development conveniences (demo data and the well-known dev tokens, the
   * IDE with a seller token prefilled, introspection, the public dev webhook secrets). Off unless
   * switched on: a bare start behaves as production.
   */
  devMode: boolean;
  logLevel: LogLevel;
  carrierSecrets: CarrierSecrets;
  /**
   * Secrets of `POST /webhooks/marketplace/orders` (MARKETPLACE_WEBHOOK_SECRET and, during a
   * rotation, MARKETPLACE_WEBHOOK_SECRET_PREVIOUS). Empty: the endpoint is off and refuses
   * every request; orders still come in through importOrders.
   */
  marketplaceSecrets: string[];
  /** Signed links to label documents. */
  labelDocuments: LabelDocumentSettings;
  /** How often the outbox worker polls for undelivered notifications. */
  outboxPollMs: number;
  /** Whether the server runs the outbox worker in-process. */
  runOutboxWorker: boolean;
  /** Whether the server resolves pending carrier operations (at start, then every interval). */
  runCarrierReconciler: boolean;
  /** How often the carrier reconciler looks for unresolved label purchases and voids. */
  carrierReconcileMs: number;
  /** Whether the server works label batches off in-process (LABEL_BATCH_WORKER). */
  runLabelBatchWorker: boolean;
  /** How often an idle label batch worker looks for pending items. */
  labelBatchPollMs: number;
  /** PostgreSQL connections per process. */
  databasePoolSize: number;
  /** Apply pending migrations at start (off: `npm run migrate` does it once, before rollout). */
  migrateOnStart: boolean;
  /** Query limits, rate limits, introspection: see ./security.ts. */
  security: SecurityConfig;
  webhooks: WebhookSettings;
  /** Buyer-notification channels (SMTP, the SMS/push HTTP endpoint): see ./notify.ts. */
  notify: NotifyConfig;
  claims: ClaimSettings;
}

/**
 * The public development webhook secrets (in the docs and the tests): anyone can sign with them, so
 * only COUNTERSIGN_DEV uses them, and without it they are refused even when set explicitly.
 */
export const DEV_CARRIER_SECRETS: Readonly<Record<keyof CarrierSecrets, string>> = {
  UPS: 'dev-ups-webhook-secret',
  USPS: 'dev-usps-webhook-secret',
};

/** The public development secret of the marketplace order webhook (COUNTERSIGN_DEV only). */
export const DEV_MARKETPLACE_SECRET = 'dev-marketplace-webhook-secret';

/**
 * A webhook secret and, during a rotation, the one before it (`<NAME>_PREVIOUS`). Without the
 * dev switch the public dev secret is refused, even set explicitly. Unset: the dev secret with
 * the switch; otherwise an error when required, else none (the endpoint is off).
 */
function rotatingSecrets(
  env: Env,
  name: string,
  dev: string,
  devMode: boolean,
  required: boolean,
): string[] {
  const current = envString(env, name) ?? (devMode ? dev : undefined);
  if (current === undefined) {
    if (!required && envString(env, `${name}_PREVIOUS`) !== undefined) {
      throw new ConfigError(`${name}_PREVIOUS`, `${name}_PREVIOUS is set without ${name}`);
    }
    if (!required) return [];
    throw new ConfigError(name, `${name} is required (COUNTERSIGN_DEV=on uses the dev secrets)`);
  }
  const previous = envString(env, `${name}_PREVIOUS`);
  const secrets = previous === undefined ? [current] : [current, previous];
  if (!devMode) {
    secrets.forEach((secret, i) => {
      if (secret !== dev) return;
      const variable = i === 0 ? name : `${name}_PREVIOUS`;
      throw new ConfigError(
        variable,
        `${variable} is the public dev secret; set a real one (or COUNTERSIGN_DEV=on)`,
      );
    });
  }
  return secrets;
}

function loadClaimSettings(env: Env): ClaimSettings {
  const d = DEFAULT_CLAIM_SETTINGS;
  return {
    filingWindowDays: envInt(env, 'CLAIM_FILING_WINDOW_DAYS', d.filingWindowDays, { max: 365 }),
    sellerResponseHours: envInt(env, 'CLAIM_SELLER_RESPONSE_HOURS', d.sellerResponseHours, {
      max: 24 * 60,
    }),
    overdueGraceDays: envInt(env, 'CLAIM_OVERDUE_GRACE_DAYS', d.overdueGraceDays, {
      min: 0,
      max: 90,
    }),
    overdueWithoutEstimateDays: envInt(
      env,
      'CLAIM_OVERDUE_WITHOUT_ESTIMATE_DAYS',
      d.overdueWithoutEstimateDays,
      { max: 180 },
    ),
  };
}

const secretsFor = (env: Env, carrier: keyof CarrierSecrets, devMode: boolean): string[] =>
  rotatingSecrets(env, `CARRIER_SECRET_${carrier}`, DEV_CARRIER_SECRETS[carrier], devMode, true);
/**
 * DATABASE_URL, default the SQLite file under ./data. On its own for the commands that need the
 * database and nothing else (`npm run token`, `npm run calibrate`): they must not ask for the
 * server's secrets.
 */
export function databaseUrlFrom(env: Env = process.env): string {
  return (
    envString(env, 'DATABASE_URL') ??
    `sqlite:${path.join(process.cwd(), 'data', 'countersign.sqlite')}`
  );
}

export function loadConfig(env: Env = process.env): AppConfig {
  // Fail closed: only the explicit switch turns the dev conveniences on, never a missing or
  // misspelt NODE_ENV. NODE_ENV still picks the test log level and seed date.
  const devMode = envSwitch(env, 'COUNTERSIGN_DEV', false);
  const nodeEnv = envString(env, 'NODE_ENV')?.trim() ?? (devMode ? 'development' : 'production');
  if (devMode && nodeEnv === 'production') {
    throw new ConfigError(
      'COUNTERSIGN_DEV',
      'COUNTERSIGN_DEV=on is refused with NODE_ENV=production',
    );
  }
  const logLevel = envEnum(env, 'LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info');
  const port = envInt(env, 'PORT', 4000, { min: 0, max: 65535 });
  const carrierSecrets: CarrierSecrets = {
    UPS: secretsFor(env, 'UPS', devMode),
    USPS: secretsFor(env, 'USPS', devMode),
  };
  const labelDocumentSecret =
    envString(env, 'LABEL_DOCUMENT_SECRET') ?? (devMode ? 'dev-label-document-secret' : undefined);
  if (labelDocumentSecret === undefined) {
    throw new ConfigError(
      'LABEL_DOCUMENT_SECRET',
      'LABEL_DOCUMENT_SECRET is required (COUNTERSIGN_DEV=on uses a dev secret)',
    );
  }
  return {
    port,
    databaseUrl: databaseUrlFrom(env),
    redisUrl: envUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisChannelPrefix: envString(env, 'REDIS_CHANNEL_PREFIX') ?? 'countersign:',
    nodeEnv,
    devMode,
    logLevel,
    carrierSecrets,
    marketplaceSecrets: rotatingSecrets(
      env,
      'MARKETPLACE_WEBHOOK_SECRET',
      DEV_MARKETPLACE_SECRET,
      devMode,
      false,
    ),
    labelDocuments: {
      secret: labelDocumentSecret,
      ttlSeconds: envInt(env, 'LABEL_DOCUMENT_TTL_S', 300, { max: 86_400 }),
      publicBaseUrl: envUrl(env, 'PUBLIC_BASE_URL', ['http:', 'https:'])?.replace(/\/+$/, ''),
    },
    // setTimeout treats anything above 2^31 - 1 ms as 1 ms.
    outboxPollMs: envInt(env, 'OUTBOX_POLL_MS', 500, { max: 2_147_483_647 }),
    runOutboxWorker: envSwitch(env, 'OUTBOX_WORKER', true),
    runCarrierReconciler: envSwitch(env, 'CARRIER_RECONCILER', true),
    carrierReconcileMs: envInt(env, 'CARRIER_RECONCILE_MS', 60_000, { max: 2_147_483_647 }),
    runLabelBatchWorker: envSwitch(env, 'LABEL_BATCH_WORKER', true),
    labelBatchPollMs: envInt(env, 'LABEL_BATCH_POLL_MS', 500, { max: 2_147_483_647 }),
    databasePoolSize: envInt(env, 'DATABASE_POOL_SIZE', 10),
    migrateOnStart: envSwitch(env, 'MIGRATE_ON_START', true),
    security: loadSecurityConfig(env, devMode),
    webhooks: {
      runWorker: envSwitch(env, 'WEBHOOK_WORKER', true),
      pollMs: envInt(env, 'WEBHOOK_POLL_MS', 1000, { max: 2_147_483_647 }),
      timeoutMs: envInt(env, 'WEBHOOK_TIMEOUT_MS', 5000, { max: 60_000 }),
      maxAttempts: envInt(env, 'WEBHOOK_MAX_ATTEMPTS', 8, { max: 50 }),
      backoffBaseMs: envInt(env, 'WEBHOOK_BACKOFF_BASE_MS', 10_000, { max: 2_147_483_647 }),
      maxBackoffMs: envInt(env, 'WEBHOOK_BACKOFF_MAX_MS', 3_600_000, { max: 2_147_483_647 }),
      disableAfter: envInt(env, 'WEBHOOK_DISABLE_AFTER', 5, { max: 1000 }),
      allowedHosts: (envString(env, 'WEBHOOK_ALLOWED_HOSTS') ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    },
    notify: loadNotifyConfig(env),
    claims: loadClaimSettings(env),
  };
}
