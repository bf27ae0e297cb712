/** The part of an EventTarget a topic iterator needs. */
export interface ListenerTarget {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
}

/** Events a subscriber may fall behind by before its stream ends with an error. */
export const MAX_PENDING_EVENTS = 1024;

/**
 * An async iterator over the `detail` of one event type: a queue and at most one waiting `next`.
 * It replaces @repeaterjs/repeater for subscriptions because fan-out pushes one event into
 * thousands of these at once, and a Repeater push allocates ~2 KB and several promises
 * (bench W4). The listener is added at once, so nothing published after subscribing is missed;
 * `return` (unsubscribe) removes it.
 */
export function topicIterator<T>(target: ListenerTarget, type: string): AsyncIterableIterator<T> {
  return new TopicIterator<T>(target, type);
}

/**
 * A class rather than an object literal of closures: one lives per subscription for the socket's
 * life, and its methods are then shared by all of them instead of made (and named) per instance.
 */
class TopicIterator<T> implements AsyncIterableIterator<T> {
  /** Events not yet taken; made on the first one that finds no `next` waiting. */
  private queue: T[] | null = null;
  private waiting: ((step: IteratorResult<T>) => void) | null = null;
  private stopped = false;
  private failure: Error | null = null;
  private readonly listener = (event: Event): void => this.push((event as CustomEvent<T>).detail);

  constructor(
    private readonly target: ListenerTarget,
    private readonly type: string,
  ) {
    target.addEventListener(type, this.listener);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue && this.queue.length > 0) {
      return Promise.resolve({ done: false, value: this.queue.shift() as T });
    }
    if (this.failure) {
      const error = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    if (this.stopped) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.queue = null;
    this.stop();
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.queue = null;
    this.stop();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private push(value: T): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ done: false, value });
    } else if (!this.queue || this.queue.length < MAX_PENDING_EVENTS) {
      (this.queue ??= []).push(value);
    } else {
      // A consumer this far behind is gone or stuck; end its stream rather than grow forever.
      this.failure = new Error(
        `subscriber fell ${MAX_PENDING_EVENTS} events behind on ${this.type}`,
      );
      this.queue = null;
      this.stop();
    }
  }

  private stop(): void {
    if (!this.stopped) {
      this.stopped = true;
      this.target.removeEventListener(this.type, this.listener);
    }
    const resolve = this.waiting;
    this.waiting = null;
    resolve?.({ done: true, value: undefined });
  }
}
