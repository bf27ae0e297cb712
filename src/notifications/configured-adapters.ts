import type { NotifyConfig } from '../config/notify';
import type { Logger } from '../config/logger';
import type { Database } from '../db/database';
import { channelAdapters } from './channel-adapter';
import type { ChannelAdapters } from './channel-adapter';
import { HttpSink } from './http-sink';
import { RecordingSink } from './recording-sink';
import { SmtpSink } from './smtp-sink';

/**
 * The channel adapters the settings ask for: e-mail over SMTP when SMTP_HOST is set, SMS and push
 * through the HTTP contract when NOTIFY_HTTP_URL is set; any channel without its setting keeps the
 * recording sink. Says which in one log line.
 */
export function configuredAdapters(
  notify: NotifyConfig,
  db: Database,
  logger: Logger,
): ChannelAdapters {
  const recording = new RecordingSink(db);
  const http = notify.http && new HttpSink(notify.http);
  const smtp = notify.smtp;
  logger.info('notification channels', {
    email: smtp
      ? `smtp ${smtp.host}:${smtp.port}${smtp.secure ? ' (tls)' : ''}`
      : 'recorded only (SMTP_HOST unset)',
    smsPush: notify.http
      ? `http ${new URL(notify.http.url).origin}`
      : 'recorded only (NOTIFY_HTTP_URL unset)',
  });
  return channelAdapters(recording, {
    EMAIL: smtp ? new SmtpSink(smtp) : recording,
    SMS: http ?? recording,
    PUSH: http ?? recording,
  });
}
