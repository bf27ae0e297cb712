import type { Database } from '../db/database';
import { isUniqueViolation } from '../db/errors';
import { NotificationDelivery } from '../entities';
import type { DeliverySink, OutgoingMessage, SendResult } from './channel-adapter';

/**
 * The default sink: records each delivery in `notification_deliveries`. Its unique
 * notificationId plays the provider's idempotency key, so a worker that crashed between sending
 * and marking the row sent, and retries, does not reach the buyer twice.
 */
export class RecordingSink implements DeliverySink {
  constructor(private readonly db: Database) {}

  async deliver(message: OutgoingMessage): Promise<SendResult> {
    try {
      await this.db.transaction((tx) =>
        tx.manager.insert(NotificationDelivery, {
          notificationId: message.notificationId,
          channel: message.channel,
          recipient: message.recipient.slice(0, 200),
          deliveredAt: new Date(),
        }),
      );
      return 'SENT';
    } catch (error) {
      if (isUniqueViolation(error)) return 'ALREADY_SENT';
      throw error;
    }
  }
}
