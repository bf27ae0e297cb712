import type { NotifyHttpSettings } from '../config/notify';
import { SIGNATURE_HEADER, signatureHeader } from '../webhooks/signature';
import { PermanentDeliveryError } from './channel-adapter';
import type { DeliverySink, OutgoingMessage, SendResult } from './channel-adapter';

/** The JSON body of the SMS/push HTTP contract (see the README). */
export interface NotifyHttpBody {
  notificationId: number;
  channel: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * Hands SMS and push messages to one HTTP endpoint (the provider's gateway, or a small service of
 * the operator's in front of it): POST JSON signed like carrier webhooks, with the notification id
 * as `Idempotency-Key`. 2xx: delivered. 4xx: refused for good (PermanentDeliveryError). 5xx, a
 * redirect, a network error or no answer within the timeout: retried by the outbox, so the
 * receiver must drop a notificationId it has already accepted.
 */
export class HttpSink implements DeliverySink {
  constructor(
    private readonly settings: NotifyHttpSettings,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async deliver(message: OutgoingMessage): Promise<SendResult> {
    const body: NotifyHttpBody = {
      notificationId: message.notificationId,
      channel: message.channel,
      to: message.recipient,
      subject: message.title,
      text: message.text,
    };
    const raw = JSON.stringify(body);
    let res: Response;
    try {
      res = await this.fetchFn(this.settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': `notification-${message.notificationId}`,
          [SIGNATURE_HEADER]: signatureHeader(this.settings.secret, raw),
        },
        body: raw,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      const e = error as { name?: string; message?: string };
      if (e.name === 'TimeoutError') {
        throw new Error(`HTTP timeout after ${this.settings.timeoutMs} ms`);
      }
      throw new Error(`HTTP request failed: ${e.message ?? String(error)}`);
    }
    const answer = (await res.text().catch(() => '')).slice(0, 200);
    if (res.status >= 200 && res.status < 300) return 'SENT';
    const what = `HTTP ${res.status}${answer ? `: ${answer}` : ''}`;
    if (res.status >= 400 && res.status < 500) throw new PermanentDeliveryError(what);
    throw new Error(what);
  }
}
