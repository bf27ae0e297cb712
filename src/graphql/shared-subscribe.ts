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
class InternedDocuments {
  private readonly byText = new Map<string, { id: number; document: DocumentNode }>();
  private next = 0;
  constructor(private readonly max = 500) {}

  intern(document: DocumentNode): { id: number; document: DocumentNode } {
    const text = print(document);
    const known = this.byText.get(text);
    if (known) return known;
    if (this.byText.size >= this.max) {
      this.byText.delete(this.byText.keys().next().value as string);
    }
    const entry = { id: this.next++, document };
    this.byText.set(text, entry);
    return entry;
  }
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
}: SharedSubscribeOptions) {
  // Per published payload; entries go when the payload is no longer referenced.
  const executions = new WeakMap<object, Map<string, Promise<Step>>>();
  const documents = new InternedDocuments();
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
    const run = (payload: unknown): Promise<ExecutionResult> =>
      Promise.resolve(
        execute({ ...args, rootValue: payload, contextValue: contextForEvent(args.contextValue) }),
      );
    // One step object per event and key: subscribers share it, allocating next to nothing.
    const stepFor = (payload: unknown): Promise<Step> => {
      if (typeof payload !== 'object' || payload === null) {
        return run(payload).then((value) => ({ done: false, value }));
      }
      let steps = executions.get(payload);
      if (!steps) executions.set(payload, (steps = new Map()));
      let step = steps.get(key);
      if (!step) {
        step = run(payload).then((value) => {
          onShared?.(value);
          return { done: false, value };
        });
        steps.set(key, step);
      }
      return step;
    };
    const source = stream[Symbol.asyncIterator]();
    const done: Step = { done: true, value: undefined };
    const iterator: AsyncIterableIterator<ExecutionResult> = {
      next: () => source.next().then((step) => (step.done ? done : stepFor(step.value))),
      // Unsubscribing returns the source, which removes its listener.
      return: async () => {
        await source.return?.();
        return done;
      },
      throw: async (error: unknown) => {
        await source.return?.();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return iterator;
  };
}
