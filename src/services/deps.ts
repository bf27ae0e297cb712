import type { AppConfig } from '../config/config';
import type { Logger } from '../config/logger';
import type { Database } from '../db/database';
import type { EventBus } from '../pubsub/event-bus';

/** What services are built from, once per process. */
export interface ServiceDeps {
  db: Database;
  config: AppConfig;
  logger: Logger;
  events: EventBus;
}
