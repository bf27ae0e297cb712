import { createSourceEventStream, print } from 'graphql';
import type { LRUCache } from 'lru-cache';
import type { DocumentNode, ExecutionArgs, ExecutionResult } from 'graphql';
import { TopicIterator } from '../pubsub/topic-iterator';
import { documentsByText } from './documents-by-text';
import { DirectSubscription, SharedIterator, Sharing } from './shared-execution';
import type { DirectSink } from './shared-execution';

export type { DirectSink } from './shared-execution';

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Documents by their printed text, so equal subscriptions share one AST (`documentsByText` says
 * how many are kept). Each text gets a number, never reused, that stands for it in the sharing
 * key: every subscriber keeps its key, and the text would make it as long as the query.
 */
export class InternedDocuments {
  private readonly byText: LRUCache<string, InternedDocument>;
  /** Documents already interned (or returned by `intern`): no second print. */
  private readonly known = new WeakMap<DocumentNode, InternedDocument>();
  private next = 0;
  constructor(max?: number, maxCharacters?: number) {
    this.byText = documentsByText(max, maxCharacters);
  }

  intern(document: DocumentNode): InternedDocument {
    const seen = this.known.get(document);
    if (seen) return seen;
    const text = print(document);
    let entry = this.byText.get(text);
    if (!entry) {
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
  /**
   * The transport's own way to send this subscription's results (see `DirectSink`), from the
   * context it was subscribed with; none: every result goes through the returned iterator.
   */
  sinkFor?(contextValue: unknown): DirectSink | undefined;
  /** Where documents are interned; give the transport's own to intern before it keeps any. */
  documents?: InternedDocuments;
}

/**
 * graphql-js `subscribe`, except that a published event is executed ONCE per distinct operation,
 * variables and audience, and every subscriber with that key gets the same result. Without it,
 * one event to N subscribers of a shipment costs N executions, and those executions, not the
 * socket writes, are what block the event loop at fan-out (the benchmark's W4 phase measures it).
 * A subscription with a `DirectSink` over a plain topic also skips the per-subscriber iterator
 * step: the shared result is handed to every such subscriber in one loop.
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
  sinkFor,
  documents = new InternedDocuments(),
}: SharedSubscribeOptions) {
  const sharing = new Sharing(contextForEvent, onShared);
  return async (args: ExecutionArgs) => {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream;
    const { id, document } = documents.intern(args.document);
    const sink = sinkFor?.(args.contextValue);
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
    const source = stream[Symbol.asyncIterator]();
    if (sink && source instanceof TopicIterator) {
      const direct = DirectSubscription.attach(source, args, key, sharing, sink);
      if (direct) return direct;
    }
    return new SharedIterator(source, args, key, sharing);
  };
}
