import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Client, FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestServer } from './test-server';

/** What a subscription ended with: GraphQL errors, or the socket's close code. */
export interface SubscriptionEnd {
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  closeCode?: number;
}

export interface LiveSubscription<T> {
  /** The next result pushed by the server (waits for it). */
  next(): Promise<FormattedExecutionResult<T, unknown>>;
  /** How the subscription ended (waits for it). */
  ended: Promise<SubscriptionEnd>;
  close(): Promise<void>;
}

/** A real graphql-ws client connecting with `Authorization: Bearer <token>` (none when null). */
export function wsClient(server: TestServer, token: string | null): Client {
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
    next: () =>
      new Promise((resolve) => {
        const ready = results.shift();
        if (ready) resolve(ready);
        else waiting.push(resolve);
      }),
    ended,
    close: async () => {
      dispose();
      await client.dispose();
    },
  };
}

/** Polls an observable server-side condition (e.g. a listener count) instead of sleeping. */
export async function until(condition: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
