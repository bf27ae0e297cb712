import { execute } from 'graphql';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import { PushQueue } from '../pubsub/push-queue';
import type { TopicConsumer, TopicIterator } from '../pubsub/topic-iterator';

type Step = IteratorResult<ExecutionResult>;

/**
 * Sends a subscription's result straight to its client, bypassing the protocol library's
 * per-message path (a promise chain, hooks and a stringify per subscriber: most of W4's cost at
 * 10,000 subscribers). Called only while that library is idle on the subscription (waiting for
 * its next result, nothing queued), so messages keep their order. False: not sent (an error to
 * format, a socket with a backlog); the result then goes through the library as usual.
 */
export interface DirectSink {
  send(result: ExecutionResult): boolean;
}

/** Never mutated by consumers; one for every subscription that ends. */
const DONE: Step = Object.freeze({ done: true, value: undefined });

/**
 * What all of one `sharedSubscribe`'s subscriptions use to share executions: one per published
 * payload and sharing key.
 */
export class Sharing {
  /** Per published payload; entries go when the payload is no longer referenced. */
  private readonly executions = new WeakMap<object, Map<string, Execution>>();
  /** Per key, its newest execution still delivering: the next one delivers after it. */
  private readonly delivering = new Map<string, Execution>();

  constructor(
    private readonly contextForEvent: (contextValue: unknown) => unknown,
    private readonly onShared?: (result: ExecutionResult) => void,
  ) {}

  /** The execution of `payload` for `key`, started by the first subscriber that asks. */
  executionFor(payload: unknown, key: string, args: ExecutionArgs): Execution {
    if (typeof payload !== 'object' || payload === null) return this.start(payload, key, args);
    let byKey = this.executions.get(payload);
    if (!byKey) this.executions.set(payload, (byKey = new Map()));
    let execution = byKey.get(key);
    if (!execution) byKey.set(key, (execution = this.start(payload, key, args)));
    return execution;
  }

  private start(payload: unknown, key: string, args: ExecutionArgs): Execution {
    const result = Promise.resolve(
      execute({
        ...args,
        rootValue: payload,
        contextValue: this.contextForEvent(args.contextValue),
      }),
    ).then((value) => {
      this.onShared?.(value);
      return value;
    });
    const execution = new Execution(result, this.delivering.get(key));
    this.delivering.set(key, execution);
    void execution.delivered.then(() => {
      if (this.delivering.get(key) === execution) this.delivering.delete(key);
    });
    return execution;
  }
}

/**
 * One event executed for one key. Iterating subscribers await `step`; direct subscribers are
 * handed the result in one loop, after the key's previous execution delivered (a later event
 * may finish executing first; each subscriber must still see events in publish order).
 */
export class Execution {
  readonly delivered: Promise<void>;
  private waiters: DirectSubscription[] | null = [];
  private result: ExecutionResult | null = null;
  /** Made when an iterating subscriber first asks: with only direct ones, never. */
  private pulled: Promise<Step> | null = null;

  constructor(
    private readonly running: Promise<ExecutionResult>,
    previous: Execution | undefined,
  ) {
    this.delivered = Promise.all([running, previous?.delivered]).then(
      ([value]) => this.deliver(value),
      (error: unknown) => this.fail(error),
    );
  }

  /** The step an iterating subscriber yields for this event. */
  get step(): Promise<Step> {
    return (this.pulled ??= this.running.then((value) => ({ done: false, value })));
  }

  /** `subscription` gets the result when it comes (at once if it came). */
  add(subscription: DirectSubscription): void {
    if (this.waiters) this.waiters.push(subscription);
    else if (this.result) subscription.deliver(this.result);
  }

  private deliver(result: ExecutionResult): void {
    const waiters = this.waiters ?? [];
    this.waiters = null;
    this.result = result;
    for (const subscription of waiters) subscription.deliver(result);
  }

  private fail(error: unknown): void {
    const waiters = this.waiters ?? [];
    this.waiters = null;
    const failure = error instanceof Error ? error : new Error(String(error));
    for (const subscription of waiters) subscription.fail(failure);
  }
}

/**
 * One subscription's results, pulled: each `next` takes the source's next payload and the shared
 * step for it. A class rather than an object literal of closures: one lives per subscriber for
 * the socket's life, and its methods are then shared by all of them.
 */
export class SharedIterator implements AsyncIterableIterator<ExecutionResult> {
  /** Made once per subscription, so that `next` allocates no closure per event. */
  private readonly onStep = (step: IteratorResult<unknown>): Step | Promise<Step> =>
    step.done ? DONE : this.sharing.executionFor(step.value, this.key, this.args).step;

  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly args: ExecutionArgs,
    private readonly key: string,
    private readonly sharing: Sharing,
  ) {}

  next(): Promise<Step> {
    return this.source.next().then(this.onStep);
  }

  // Unsubscribing returns the source, which removes its listener.
  async return(): Promise<Step> {
    await this.source.return?.();
    return DONE;
  }

  async throw(error: unknown): Promise<Step> {
    await this.source.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }
}

/**
 * One subscription whose topic hands it payloads as they are published: each result goes to
 * its `DirectSink` while the transport waits on this iterator with nothing queued, and through
 * the iterator otherwise (so messages stay in order, and what the sink refuses still goes out).
 */
export class DirectSubscription
  extends PushQueue<ExecutionResult>
  implements TopicConsumer<unknown>
{
  /** Null when the topic had already queued an event: use a `SharedIterator` instead. */
  static attach(
    source: TopicIterator<unknown>,
    args: ExecutionArgs,
    key: string,
    sharing: Sharing,
    sink: DirectSink,
  ): DirectSubscription | null {
    const subscription = new DirectSubscription(source, args, key, sharing, sink);
    return source.divert(subscription) ? subscription : null;
  }

  private constructor(
    private readonly source: TopicIterator<unknown>,
    private readonly args: ExecutionArgs,
    private readonly key: string,
    private readonly sharing: Sharing,
    private readonly sink: DirectSink,
  ) {
    super('subscription');
  }

  /** A payload published on the topic: joins its execution for this subscription's key. */
  accept(payload: unknown): void {
    this.sharing.executionFor(payload, this.key, this.args).add(this);
  }

  deliver(result: ExecutionResult): void {
    if (this.isEnded) return;
    if (this.awaited && this.sink.send(result)) return;
    this.push(result);
  }

  // Unsubscribing (or failing) returns the topic, which removes its listener.
  protected override onEnd(): void {
    void this.source.return();
  }
}
