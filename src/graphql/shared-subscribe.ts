import { createSourceEventStream, execute, print } from 'graphql';
import type { DocumentNode, ExecutionArgs, ExecutionResult } from 'graphql';

type Step = IteratorResult<ExecutionResult>;

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Documents by their printed text, so equal subscriptions share one AST; bounded, oldest out.
 * Each text gets a number, never reused, that stands for it in the sharing key: every subscriber
 * keeps its key, and the text would make it as long as the query.
 */
export class InternedDocuments {
  private readonly byText = new Map<string, InternedDocument>();
  /** Documents already interned (or returned by `intern`): no second print. */
  private readonly known = new WeakMap<DocumentNode, InternedDocument>();
  private next = 0;
  constructor(private readonly max = 500) {}

  intern(document: DocumentNode): InternedDocument {
    const seen = this.known.get(document);
    if (seen) return seen;
    const text = print(document);
    let entry = this.byText.get(text);
    if (!entry) {
      if (this.byText.size >= this.max) {
        this.byText.delete(this.byText.keys().next().value as string);
      }
      entry = { id: this.next++, document };
      this.byText.set(text, entry);
    }
    this.known.set(document, entry);
    return entry;
  }
}

export interface InternedDocument {
  id: number;
  document: DocumentNode;
}

export interface SharedSubscribeOptions {
  /** Who a result is for: subscribers with equal audiences may share one. */
  audienceOf(contextValue: unknown): string;
  /**
   * The context one event is executed with, built from the subscription's context. The one place
   * a per-event context is made: fields that read through loaders must see this event's rows,
   * not those cached when the subscription (or an earlier event) ran.
   */
  contextForEvent(contextValue: unknown): unknown;
  /**
   * What a running subscription keeps of its context once its source stream is open (default:
   * all of it). It lives as long as the socket, so what subscribing loaded (loaders and their
   * cache) should not be in it; `audienceOf` and `contextForEvent` get this from then on.
   */
  retainedContext?(contextValue: unknown): unknown;
  /** Called once per shared result (e.g. to serialize it once for every socket). */
  onShared?(result: ExecutionResult): void;
  /** Where documents are interned; give the transport's own to intern before it keeps any. */
  documents?: InternedDocuments;
}

/**
 * graphql-js `subscribe`, except that a published event is executed ONCE per distinct operation,
 * variables and audience, and every subscriber with that key gets the same result. Without it,
 * one event to N subscribers of a shipment costs N executions, and those executions, not the
 * socket writes, are what block the event loop at fan-out (the benchmark's W4 phase measures it).
 *
 * Sharing is correct only when resolvers decide what a viewer sees from what `audienceOf`
 * returns (here: role, seller and buyer), and the published payload object is the same for all
 * listeners (the event bus dispatches one object, also after a trip through Redis).
 */
export function sharedSubscribe({
  audienceOf,
  contextForEvent,
  retainedContext,
  onShared,
  documents = new InternedDocuments(),
}: SharedSubscribeOptions) {
  const sharing: Sharing = { executions: new WeakMap(), contextForEvent, onShared };
  return async (args: ExecutionArgs) => {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream;
    const { id, document } = documents.intern(args.document);
    // The transport keeps these args for the subscription's life: let every subscriber of the
    // same document hold one AST (with its token list) instead of a parse of its own, and only
    // the context its events need.
    (args as { document: DocumentNode }).document = document;
    if (retainedContext) {
      (args as { contextValue: unknown }).contextValue = retainedContext(args.contextValue);
    }
    // Computed once per subscription, not per event.
    const key = [
      audienceOf(args.contextValue),
      args.operationName ?? '',
      JSON.stringify(args.variableValues ?? {}),
      id,
    ].join('\u0000');
    return new SharedIterator(stream[Symbol.asyncIterator](), args, key, sharing);
  };
}

/** What all of one `sharedSubscribe`'s subscriptions use to share executions. */
interface Sharing {
  /** Per published payload; entries go when the payload is no longer referenced. */
  executions: WeakMap<object, Map<string, Promise<Step>>>;
  contextForEvent(contextValue: unknown): unknown;
  onShared?(result: ExecutionResult): void;
}

/** Never mutated by consumers; one for every subscription that ends. */
const DONE: Step = Object.freeze({ done: true, value: undefined });

/**
 * One subscription's results. A class rather than an object literal of closures: one lives per
 * subscriber for the socket's life, and its methods are then shared by all of them.
 */
class SharedIterator implements AsyncIterableIterator<ExecutionResult> {
  /** Made once per subscription, so that `next` allocates no closure per event. */
  private readonly onStep = (step: IteratorResult<unknown>): Step | Promise<Step> =>
    step.done ? DONE : this.stepFor(step.value);

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

  private run(payload: unknown): Promise<ExecutionResult> {
    const { args, sharing } = this;
    return Promise.resolve(
      execute({
        ...args,
        rootValue: payload,
        contextValue: sharing.contextForEvent(args.contextValue),
      }),
    );
  }

  /** One step object per event and key: subscribers share it, allocating next to nothing. */
  private stepFor(payload: unknown): Promise<Step> {
    if (typeof payload !== 'object' || payload === null) {
      return this.run(payload).then((value) => ({ done: false, value }));
    }
    const { executions, onShared } = this.sharing;
    let steps = executions.get(payload);
    if (!steps) executions.set(payload, (steps = new Map()));
    let step = steps.get(this.key);
    if (!step) {
      step = this.run(payload).then((value) => {
        onShared?.(value);
        return { done: false, value };
      });
      steps.set(this.key, step);
    }
    return step;
  }
}
