import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { hashToken } from '../../src/auth/token-hash';
import { ApiToken } from '../../src/entities';
import type { TestServer } from './test-server';

/** One GraphQL answer as a client sees it, whichever transport carried it. */
export interface Answer {
  /** HTTP status; 200 for a WebSocket result, 0 for a WebSocket refusal (error message). */
  status: number;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  extensions?: Record<string, unknown>;
  /** The response headers (HTTP only). */
  headers?: Headers;
}

export type Transport = 'HTTP' | 'WebSocket';
export const TRANSPORTS: Transport[] = ['HTTP', 'WebSocket'];

export interface Target {
  url: string;
  wsUrl: string;
}

/** POSTs a GraphQL request as JSON. */
export async function postGraphQL(
  target: Target,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = null,
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(target.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    headers: res.headers,
    ...((await res.json()) as Omit<Answer, 'status' | 'headers'>),
  };
}

/**
 * Runs one operation over graphql-ws on its own connection and returns the first result or the
 * error message; rejects if the socket closes instead (a limit must never cost the connection).
 */
export function wsGraphQL(
  target: Target,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = null,
  extensions?: Record<string, unknown>,
): Promise<Answer> {
  const client = createClient({
    url: target.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  return new Promise<Answer>((resolve, reject) => {
    let first: Answer | undefined;
    const dispose = client.subscribe(
      { query, variables, ...(extensions ? { extensions } : {}) },
      {
        next: (result) => {
          first ??= { status: 200, ...(result as Omit<Answer, 'status'>) };
          // One result is all these tests read; a subscription would go on.
          dispose();
          resolve(first);
        },
        error: (error: unknown) => {
          if (Array.isArray(error)) resolve({ status: 0, errors: error as Answer['errors'] });
          else reject(new Error(`socket closed: ${(error as { code?: number }).code}`));
        },
        complete: () => {
          if (first) resolve(first);
        },
      },
    );
  }).finally(() => client.dispose());
}

export function send(
  transport: Transport,
  target: Target,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = null,
): Promise<Answer> {
  return transport === 'HTTP'
    ? postGraphQL(target, query, variables, token)
    : wsGraphQL(target, query, variables, token);
}

/** The first error's code, or undefined. */
export const codeOf = (answer: Answer): unknown => answer.errors?.[0]?.extensions?.code;

/** A token of its own for the same account as `like`: a cost bucket no other test has touched. */
export async function freshToken(server: TestServer, like: string): Promise<string> {
  const m = server.db.manager;
  const row = await m.findOneByOrFail(ApiToken, { tokenHash: hashToken(like) });
  const token = `rate-limit-test-${randomUUID()}`;
  await server.db.transaction(({ manager }) =>
    manager.insert(ApiToken, {
      tokenHash: hashToken(token),
      role: row.role,
      sellerId: row.sellerId,
      buyerId: row.buyerId,
      label: 'rate limit test',
      createdAt: new Date(),
      revokedAt: null,
    }),
  );
  return token;
}
