import { PushQueue } from './push-queue';

/** The part of an EventTarget a topic iterator needs. */
export interface ListenerTarget {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
}

/**
 * An async iterator over the `detail` of one event type. It replaces @repeaterjs/repeater for
 * subscriptions (push-queue.ts says why). The listener is added at once, so nothing published
 * after subscribing is missed; `return` (unsubscribe) removes it.
 */
export function topicIterator<T>(target: ListenerTarget, type: string): TopicIterator<T> {
  return new TopicIterator<T>(target, type);
}

/** Takes a diverted topic's events as they are published. */
export interface TopicConsumer<T> {
  accept(value: T): void;
}

export class TopicIterator<T> extends PushQueue<T> {
  /** Set by `divert`: gets each event at once instead of the queue. */
  private consumer: TopicConsumer<T> | null = null;
  private readonly listener = (event: Event): void => {
    const { detail } = event as CustomEvent<T>;
    if (this.consumer) this.consumer.accept(detail);
    else this.push(detail);
  };

  constructor(
    private readonly target: ListenerTarget,
    private readonly type: string,
  ) {
    super(type);
    target.addEventListener(type, this.listener);
  }

  /**
   * Hands every later event to `consumer`, synchronously as it is published, instead of queueing
   * it for `next` (fan-out then costs no promise per subscriber). Refused (false) once an event
   * is queued or the stream ended: that event would otherwise be out of order or lost.
   */
  divert(consumer: TopicConsumer<T>): boolean {
    if (this.backlog > 0 || this.isEnded) return false;
    this.consumer = consumer;
    return true;
  }

  protected override onEnd(): void {
    this.consumer = null;
    this.target.removeEventListener(this.type, this.listener);
  }
}
