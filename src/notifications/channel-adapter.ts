import type { Buyer, Notification } from '../entities';
import { NotificationChannel } from '../entities/enums';
import { renderEmail } from './compose';

/** One notification, rendered for its channel, addressed to one buyer. */
export interface OutgoingMessage {
  /** The outbox row's id: the idempotency key on the channel side. */
  notificationId: number;
  channel: NotificationChannel;
  recipient: string;
  title: string;
  text: string;
  /** E-mail only: the same words as escaped HTML. */
  html?: string;
}

/** `SENT` the first time; `ALREADY_SENT` when a retry reaches a channel that already has it. */
export type SendResult = 'SENT' | 'ALREADY_SENT';

/** Where rendered messages go: an e-mail/SMS/push provider, or the recording sink by default. */
export interface DeliverySink {
  deliver(message: OutgoingMessage): Promise<SendResult>;
}

/** A channel's adapter: renders a notification for the channel and hands it to a sink. */
export interface ChannelAdapter {
  readonly channel: NotificationChannel;
  /** Throws when the buyer cannot be reached on this channel or the provider fails. */
  send(notification: Notification, buyer: Buyer): Promise<SendResult>;
}

export type ChannelAdapters = Record<NotificationChannel, ChannelAdapter>;

export class UnreachableRecipientError extends Error {
  constructor(channel: NotificationChannel) {
    super(`buyer has no ${channel.toLowerCase()} address`);
  }
}

/**
 * A failure retrying cannot fix (the provider refused the message itself, e.g. an HTTP 4xx): the
 * outbox gives the notification up at once instead of after its last attempt.
 */
export class PermanentDeliveryError extends Error {
  readonly permanent = true;
}

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

export class EmailAdapter implements ChannelAdapter {
  readonly channel = NotificationChannel.EMAIL;
  constructor(private readonly sink: DeliverySink) {}

  send(n: Notification, buyer: Buyer): Promise<SendResult> {
    if (!buyer.email) throw new UnreachableRecipientError(this.channel);
    const email = renderEmail(n);
    return this.sink.deliver({
      notificationId: n.id,
      channel: this.channel,
      recipient: buyer.email,
      title: email.subject,
      text: email.text,
      html: email.html,
    });
  }
}

/** Texts are short: two SMS segments at most. */
export class SmsAdapter implements ChannelAdapter {
  readonly channel = NotificationChannel.SMS;
  constructor(private readonly sink: DeliverySink) {}

  send(n: Notification, buyer: Buyer): Promise<SendResult> {
    if (!buyer.phone) throw new UnreachableRecipientError(this.channel);
    return this.sink.deliver({
      notificationId: n.id,
      channel: this.channel,
      recipient: buyer.phone,
      title: '',
      text: clip(n.body, 306),
    });
  }
}

/** Push goes to the buyer's devices, addressed by buyer; banners fit about 180 characters. */
export class PushAdapter implements ChannelAdapter {
  readonly channel = NotificationChannel.PUSH;
  constructor(private readonly sink: DeliverySink) {}

  send(n: Notification, buyer: Buyer): Promise<SendResult> {
    return this.sink.deliver({
      notificationId: n.id,
      channel: this.channel,
      recipient: `buyer:${buyer.id}`,
      title: clip(n.subject, 65),
      text: clip(n.body, 180),
    });
  }
}

/** `sink` for every channel but those given a sink of their own in `by`. */
export function channelAdapters(
  sink: DeliverySink,
  by: Partial<Record<NotificationChannel, DeliverySink>> = {},
): ChannelAdapters {
  return {
    [NotificationChannel.EMAIL]: new EmailAdapter(by.EMAIL ?? sink),
    [NotificationChannel.SMS]: new SmsAdapter(by.SMS ?? sink),
    [NotificationChannel.PUSH]: new PushAdapter(by.PUSH ?? sink),
  };
}
