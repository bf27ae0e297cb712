import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import type { AppConfig } from './config/config';
import type { DestinationStream } from 'pino';
import { Logger } from './config/logger';
import { createDataSource, createSqliteReader } from './db/data-source';
import { Database } from './db/database';
import { migrateOrVerify } from './db/migrate';
import type { SqlCounter } from './db/sql-counter';
import { createSchema } from './graphql/schema';
import { startApp } from './http/app';
import type { RunningApp } from './http/app';
import { createEventBus, unlimited } from './pubsub/event-bus';
import type { Topics } from './pubsub/event-bus';
import type { PubSubEventTarget } from '@graphql-yoga/subscription';
import type { EventBus } from './pubsub/event-bus';
import { connectRedisPubSub } from './pubsub/redis-event-target';
import type { RedisPubSub } from './pubsub/redis-event-target';
import { createServices } from './services/services';
import type { Collaborators, Services } from './services/services';
import { carrierWebhookRouter } from './webhooks/carrier-webhook';
import { marketplaceWebhookRouter } from './webhooks/marketplace-webhook';
import { labelDocumentRouter } from './http/label-document-route';
import { OutboxWorker } from './workers/outbox-worker';
import { configuredAdapters } from './notifications/configured-adapters';
import { CarrierReconciler } from './workers/carrier-reconciler';
import { LabelBatchWorker } from './workers/label-batch-worker';
import { WebhookWorker } from './workers/webhook-worker';

export interface Countersign {
  config: AppConfig;
  logger: Logger;
  db: Database;
  events: EventBus;
  services: Services;
  app: RunningApp;
  /** The notification worker, when config.runOutboxWorker. */
  outbox: OutboxWorker | null;
  /** Resolves label purchases and voids left pending, when config.runCarrierReconciler. */
  reconciler: CarrierReconciler | null;
  /** Buys label batches; started when config.runLabelBatchWorker (tests may start it later). */
  batchWorker: LabelBatchWorker;
  /** Delivers outgoing webhooks, when config.webhooks.runWorker. */
  webhooks: WebhookWorker | null;
  url: string;
  wsUrl: string;
  /** Graceful shutdown: drain HTTP and WebSocket, stop workers, close the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  sqlCounter?: SqlCounter;
  /** Where log lines go (default stdout): a file, a log shipper's stream, a test's reader. */
  logDestination?: DestinationStream;
  /** PostgreSQL schema (tests isolate runs this way). */
  schema?: string;
  /** Dev token the IDE prefills in its headers editor (the IDE is served outside production only). */
  ideToken?: string | null;
  /** Redis channel prefix; instances sharing events share it (tests isolate runs this way). */
  redisChannelPrefix?: string;
  /** The clock, carrier and carrier timeout services act through (tests pass fakes). */
  collaborators?: Partial<Collaborators>;
  /**
   * The EventTarget this instance's subscribers listen on (default: a new one). Events published
   * here, or relayed from other instances through Redis, are dispatched on it.
   */
  fanout?: EventTarget;
  /**
   * Runs after the migrations and before the server listens (`npm start` seeds here), so by the
   * time `/healthz` answers its work is done. A failure fails the start.
   */
  beforeListen?: (ready: Pick<Countersign, 'config' | 'logger' | 'db'>) => Promise<void>;
}

/**
 * Opens the database (running pending migrations), builds the services, runs `beforeListen`
 * (seeding) and only then serves them.
 */
export async function startCountersign(
  config: AppConfig,
  options: StartOptions = {},
): Promise<Countersign> {
  const logger = new Logger(config.logLevel, { service: 'countersign' }, options.logDestination);
  const dataSource = createDataSource({
    url: config.databaseUrl,
    logger: options.sqlCounter,
    schema: options.schema,
    poolSize: config.databasePoolSize,
  });
  await dataSource.initialize();
  let redis: RedisPubSub | null = null;
  const local = unlimited(options.fanout ?? new EventTarget());
  let reader: DataSource | null = null;
  let started: Omit<
    Countersign,
    'outbox' | 'reconciler' | 'batchWorker' | 'webhooks' | 'url' | 'wsUrl' | 'stop'
  >;
  const channelPrefix = options.redisChannelPrefix ?? config.redisChannelPrefix;
  try {
    await migrateOrVerify(dataSource, config.migrateOnStart);
    if (config.redisUrl) {
      redis = await connectRedisPubSub({ url: config.redisUrl, channelPrefix, logger, local });
    }
    reader = createSqliteReader({ url: config.databaseUrl, logger: options.sqlCounter });
    await reader?.initialize();
    const db = new Database(
      dataSource,
      (error) => logger.error('after-commit listener failed', { error: String(error) }),
      reader,
    );
    const events = createEventBus(redis?.eventTarget ?? (local as PubSubEventTarget<Topics>));
    const services = createServices({ db, config, logger, events }, options.collaborators);
    await options.beforeListen?.({ config, logger, db });
    const schema = await createSchema(events);
    const app = await startApp({
      config,
      logger,
      db,
      schema,
      services,
      ideToken: options.ideToken ?? null,
      routes: (express) =>
        express
          .use(carrierWebhookRouter({ config, logger, services }))
          .use(marketplaceWebhookRouter({ config, logger, services }))
          .use(labelDocumentRouter({ config, logger, services })),
      readiness: async () => {
        await redis?.check();
      },
      // With Redis, every instance spends the same counters (keys `<prefix>limit:…`).
      limitStore: { redis: redis?.commands, prefix: channelPrefix },
    });
    started = { config, logger, db, events, services, app };
  } catch (error) {
    // Leave nothing open behind a failed start (the process would not exit).
    await redis?.close();
    if (reader?.isInitialized) await reader.destroy();
    await dataSource.destroy();
    throw error;
  }
  const { db, app, services } = started;
  const outbox = config.runOutboxWorker
    ? new OutboxWorker(db, logger, {
        pollMs: config.outboxPollMs,
        adapters: configuredAdapters(config.notify, db, logger),
      })
    : null;
  outbox?.start();
  const reconciler = config.runCarrierReconciler
    ? new CarrierReconciler(db, services.carrierOperations, logger, {
        intervalMs: config.carrierReconcileMs,
        carrierTimeoutMs: services.carrierTimeoutMs,
      })
    : null;
  reconciler?.start();
  const batchWorker = new LabelBatchWorker(db, services, started.events, logger, {
    pollMs: config.labelBatchPollMs,
  });
  if (config.runLabelBatchWorker) batchWorker.start();
  const webhooks = config.webhooks.runWorker
    ? new WebhookWorker(db, config.webhooks, logger)
    : null;
  webhooks?.start();
  const url = `http://127.0.0.1:${app.port}/graphql`;
  let stopped: Promise<void> | null = null;
  return {
    ...started,
    outbox,
    reconciler,
    batchWorker,
    webhooks,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    stop: () =>
      (stopped ??= (async () => {
        await app.stop();
        await outbox?.stop();
        await reconciler?.stop();
        await batchWorker.stop();
        await webhooks?.stop();
        await redis?.close();
        await db.close();
      })()),
  };
}
