/** Values a consumer may fall behind by before its stream ends with an error. */
export const MAX_PENDING_EVENTS = 1024;

/**
 * An async iterator fed by `push`: a queue and at most one waiting `next`. Subscriptions are
 * built on it because fan-out pushes one event into thousands of these at once, and a Repeater
 * push allocates ~2 KB and several promises (bench W4). A class rather than an object literal of
 * closures: one lives per subscription for the socket's life, and its methods are then shared.
 */
export class PushQueue<T> implements AsyncIterableIterator<T> {
  /** Values not yet taken; made on the first one that finds no `next` waiting. */
  private queue: T[] | null = null;
  private waiting: ((step: IteratorResult<T>) => void) | null = null;
  private rejectWaiting: ((error: Error) => void) | null = null;
  private ended = false;
  private failure: Error | null = null;

  constructor(private readonly name: string) {}

  /** A consumer waits in `next` (so nothing is queued): a value pushed now is taken at once. */
  protected get awaited(): boolean {
    return this.waiting !== null;
  }

  /** Values pushed and not yet taken. */
  protected get backlog(): number {
    return this.queue?.length ?? 0;
  }

  protected get isEnded(): boolean {
    return this.ended;
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
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.rejectWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.queue = null;
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.queue = null;
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.rejectWaiting = null;
      resolve({ done: false, value });
    } else if (!this.queue || this.queue.length < MAX_PENDING_EVENTS) {
      (this.queue ??= []).push(value);
    } else {
      // A consumer this far behind is gone or stuck; end its stream rather than grow forever.
      this.fail(new Error(`subscriber fell ${MAX_PENDING_EVENTS} events behind on ${this.name}`));
    }
  }

  /** Ends the stream with `error`: what is queued is dropped, the next `next` rejects. */
  fail(error: Error): void {
    if (this.ended) return;
    this.queue = null;
    // A consumer already waiting gets the error at once; otherwise its next `next` does.
    const reject = this.rejectWaiting;
    this.waiting = this.rejectWaiting = null;
    if (reject) reject(error);
    else this.failure = error;
    this.end();
  }

  /** Called once when the stream ends (by the consumer or by `fail`). */
  protected onEnd(): void {}

  private end(): void {
    if (!this.ended) {
      this.ended = true;
      this.onEnd();
    }
    const resolve = this.waiting;
    this.waiting = this.rejectWaiting = null;
    resolve?.({ done: true, value: undefined });
  }
}
