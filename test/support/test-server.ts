import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { DocumentNode } from 'graphql';
import { startCountersign } from '../../src/bootstrap';
import type { Countersign } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { SqlCounter } from '../../src/db/sql-counter';
import { seedDatabase } from '../../seeds/seed';
import { devToken } from '../../seeds/dev-tokens';
import { Role } from '../../src/entities/enums';

export interface TestServer extends Countersign {
  sql: SqlCounter;
  /** Plaintext dev tokens by label, e.g. tokens.seller[0]. */
  tokens: { seller: string[]; buyer: string[]; admin: string };
  /** POSTs a GraphQL operation; returns the parsed JSON body. */
  gql<TResult = Record<string, unknown>, TVars = Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVars> | DocumentNode | string,
    variables?: TVars,
    token?: string | null,
  ): Promise<GraphQLResponse<TResult>>;
}

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

/**
 * Starts a real server on a random port over a fresh database (SQLite temp file by default;
 * DATABASE_URL for PostgreSQL), seeded with the deterministic fixtures.
 */
export async function startTestServer(env: NodeJS.ProcessEnv = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: `sqlite:${path.join(dir, 'test.sqlite')}`,
    OUTBOX_WORKER: 'off',
    ...env,
  });
  const sql = new SqlCounter();
  // The IDE prefills the first seed seller's dev token (tokens are derived, so known before seeding).
  const countersign = await startCountersign(config, {
    sqlCounter: sql,
    ideToken: devToken(Role.SELLER, 1),
  });
  const summary = await seedDatabase(countersign.db.manager);
  const stop = countersign.stop;
  return Object.assign(countersign, {
    sql,
    tokens: tokensOf(summary.tokens),
    stop: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    gql: async <TResult, TVars>(
      document: TypedDocumentNode<TResult, TVars> | DocumentNode | string,
      variables?: TVars,
      token?: string | null,
    ): Promise<GraphQLResponse<TResult>> => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const query = typeof document === 'string' ? document : print(document);
      const res = await fetch(countersign.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GraphQLResponse<TResult>;
    },
  });
}

function tokensOf(tokens: Array<{ role: string; token: string }>): TestServer['tokens'] {
  return {
    seller: tokens.filter((t) => t.role === 'SELLER').map((t) => t.token),
    buyer: tokens.filter((t) => t.role === 'BUYER').map((t) => t.token),
    admin: tokens.find((t) => t.role === 'ADMIN')?.token ?? '',
  };
}
