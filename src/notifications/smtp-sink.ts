import { createTransport } from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { SmtpSettings } from '../config/notify';
import type { DeliverySink, OutgoingMessage, SendResult } from './channel-adapter';

/** The domain of SMTP_FROM's address (`Name <a@b.example>` or `a@b.example`), else the host. */
function fromDomain(settings: SmtpSettings): string {
  const address = /<([^>]+)>/.exec(settings.from)?.[1] ?? settings.from;
  const at = address.lastIndexOf('@');
  return (at >= 0 ? address.slice(at + 1) : settings.host).trim() || 'countersign.invalid';
}

/** What nodemailer's errors carry besides the message: the server's reply and a code. */
interface SmtpError {
  message?: string;
  code?: string;
  response?: string;
}

/**
 * Sends e-mail through an SMTP server with nodemailer, one connection per message.
 *
 * SMTP_TIMEOUT_MS bounds every wait on the server (connect, greeting, each reply): a server that
 * stalls has its connection dropped, and a message whose DATA was not acknowledged is not
 * accepted, so the outbox's retry is the only copy. There is deliberately no timer around the
 * whole send that could give up while the DATA completes. The Message-ID is derived from the
 * notification's id: a retry after a crash between the server's acknowledgement and the outbox's
 * bookkeeping carries the same id, which receiving systems use to drop the duplicate.
 */
export class SmtpSink implements DeliverySink {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;
  private readonly domain: string;

  constructor(private readonly settings: SmtpSettings) {
    const t = settings.timeoutMs;
    this.transport = createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: settings.auth,
      connectionTimeout: t,
      greetingTimeout: t,
      socketTimeout: t,
      dnsTimeout: t,
    });
    this.domain = fromDomain(settings);
  }

  /** The Message-ID of a notification's e-mail: the same on every attempt. */
  messageId(notificationId: number): string {
    return `<notification-${notificationId}@${this.domain}>`;
  }

  async deliver(message: OutgoingMessage): Promise<SendResult> {
    let info: SMTPTransport.SentMessageInfo;
    try {
      info = await this.transport.sendMail({
        from: this.settings.from,
        to: message.recipient,
        subject: message.title,
        text: message.text,
        html: message.html,
        messageId: this.messageId(message.notificationId),
        headers: { 'X-Countersign-Notification': String(message.notificationId) },
      });
    } catch (error) {
      const e = error as SmtpError;
      // The server's own answer when there is one ("550 5.1.1 mailbox unavailable").
      throw new Error(`SMTP ${e.code ?? 'error'}: ${e.response ?? e.message ?? String(error)}`);
    }
    if (info.rejected.length > 0) {
      throw new Error(`SMTP rejected ${info.rejected.map(String).join(', ')}: ${info.response}`);
    }
    return 'SENT';
  }

  close(): void {
    this.transport.close();
  }
}
