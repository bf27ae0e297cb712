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
  const queue: T[] = [];
  let waiting: ((step: IteratorResult<T>) => void) | null = null;
  let stopped = false;
  let failure: Error | null = null;

  const stop = () => {
    if (!stopped) {
      stopped = true;
      target.removeEventListener(type, listener);
    }
    const resolve = waiting;
    waiting = null;
    resolve?.({ done: true, value: undefined });
  };
  function listener(event: Event): void {
    const value = (event as CustomEvent<T>).detail;
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve({ done: false, value });
    } else if (queue.length < MAX_PENDING_EVENTS) {
      queue.push(value);
    } else {
      // A consumer this far behind is gone or stuck; end its stream rather than grow forever.
      failure = new Error(`subscriber fell ${MAX_PENDING_EVENTS} events behind on ${type}`);
      queue.length = 0;
      stop();
    }
  }
  target.addEventListener(type, listener);

  return {
    next(): Promise<IteratorResult<T>> {
      if (queue.length > 0) return Promise.resolve({ done: false, value: queue.shift() as T });
      if (failure) {
        const error = failure;
        failure = null;
        return Promise.reject(error);
      }
      if (stopped) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => (waiting = resolve));
    },
    return(): Promise<IteratorResult<T>> {
      queue.length = 0;
      stop();
      return Promise.resolve({ done: true, value: undefined });
    },
    throw(error: unknown): Promise<IteratorResult<T>> {
      queue.length = 0;
      stop();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
