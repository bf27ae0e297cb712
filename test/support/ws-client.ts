import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { getOperationAST, print } from 'graphql';
import type { DocumentNode } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Client, FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import type { Topics } from '../../src/pubsub/event-bus';
import { waitFor } from './wait';
import type { TestServer } from './test-server';

/** What a subscription ended with: GraphQL errors, or the socket's close code. */
export interface SubscriptionEnd {
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  closeCode?: number;
}

/** How long `next()` waits before failing the test with a message instead of jest's timeout. */
export const NEXT_TIMEOUT_MS = 5000;

export interface LiveSubscription<T> {
  /** The next result pushed by the server; rejects after `timeoutMs` without one. */
  next(timeoutMs?: number): Promise<FormattedExecutionResult<T, unknown>>;
  /** How the subscription ended (waits for it). */
  ended: Promise<SubscriptionEnd>;
  close(): Promise<void>;
}

/** A real graphql-ws client connecting with `Authorization: Bearer <token>` (none when null). */
export function wsClient(server: Pick<TestServer, 'wsUrl'>, token: string | null): Client {
  return createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
}

/** Subscribes and queues every result, so tests can await them one by one. */
export function subscribe<T, V extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<T, V>,
  variables: V,
): LiveSubscription<T> {
  const results: FormattedExecutionResult<T, unknown>[] = [];
  const waiting: Array<(r: FormattedExecutionResult<T, unknown>) => void> = [];
  let resolveEnd!: (end: SubscriptionEnd) => void;
  let refusal: SubscriptionEnd['errors'] | undefined;
  const ended = new Promise<SubscriptionEnd>((resolve) => (resolveEnd = resolve));
  const dispose = client.subscribe<T>(
    { query: print(document), variables },
    {
      next: (result) => {
        // A refusal in `subscribe` arrives as one result with errors, then completion.
        if (result.errors && !result.data) refusal = result.errors as SubscriptionEnd['errors'];
        const waiter = waiting.shift();
        if (waiter) waiter(result);
        else results.push(result);
      },
      error: (error: unknown) => {
        if (Array.isArray(error)) resolveEnd({ errors: error as SubscriptionEnd['errors'] });
        else resolveEnd({ closeCode: (error as { code?: number }).code });
      },
      complete: () => resolveEnd(refusal ? { errors: refusal } : {}),
    },
  );
  return {
    next: (timeoutMs = NEXT_TIMEOUT_MS) =>
      new Promise((resolve, reject) => {
        const ready = results.shift();
        if (ready) return resolve(ready);
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          const name = operationName(document) ?? 'anonymous operation';
          reject(new Error(`no result for subscription ${name} within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (result: FormattedExecutionResult<T, unknown>) => {
          clearTimeout(timer);
          resolve(result);
        };
        waiting.push(waiter);
      }),
    ended,
    close: async () => {
      dispose();
      await client.dispose();
    },
  };
}

const operationName = (document: DocumentNode) => getOperationAST(document)?.name?.value;

/**
 * The subscriptions of one test file (`serverOf` is read when used, so it may be called before
 * beforeAll started the server): `start` opens one on a socket of its own, `listening`
 * waits until the server holds the listeners, and `closeAll` (afterEach) closes them and waits
 * until the server has dropped their listeners, so the next test counts only its own.
 */
export function liveSubscriptions(serverOf: () => TestServer) {
  const open: Array<LiveSubscription<unknown>> = [];
  const heard = new Map<string, [keyof Topics, number]>();
  const countOf = ([topic, id]: [keyof Topics, number]) => serverOf().listeners(topic, id);
  return {
    start<T, V extends Record<string, unknown>>(
      token: string | null,
      document: TypedDocumentNode<T, V>,
      variables: V,
    ): LiveSubscription<T> {
      const sub = subscribe(wsClient(serverOf(), token), document, variables);
      open.push(sub as LiveSubscription<unknown>);
      return sub;
    },
    /** graphql-ws has no "subscribed" acknowledgement: wait until the server holds `count`. */
    async listening(topic: keyof Topics, id: number, count = 1): Promise<void> {
      heard.set(`${topic}:${id}`, [topic, id]);
      await waitFor(`${count} ${topic} listener(s) on ${id}`, () => countOf([topic, id]) >= count);
    },
    async closeAll(): Promise<void> {
      await Promise.all(open.splice(0).map((sub) => sub.close()));
      await waitFor('the server to drop the closed subscriptions', () =>
        [...heard.values()].every((key) => countOf(key) === 0),
      );
      heard.clear();
    },
  };
}
