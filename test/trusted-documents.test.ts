import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import { ConfigError } from '../src/config/env';
import { TrustedDocuments, sha256Hex } from '../src/http/trusted-documents';
import { ViewerDocument } from './generated/operations';
import { codeOf, postGraphQL, wsGraphQL } from './support/security-clients';
import type { Answer } from './support/security-clients';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/**
 * Trusted documents: a manifest as GraphQL Code Generator's client-preset writes it
 * (`persistedDocuments: { hashAlgorithm: 'sha256' }` → persisted-documents.json, sha256 hex →
 * document). Enforced, only registered documents run, by id or by text; in development (the
 * default with COUNTERSIGN_DEV) ids resolve and any query runs, the IDE included.
 */

const VIEWER = print(ViewerDocument);
const VIEWER_HASH = sha256Hex(VIEWER);
const UNREGISTERED = '{ viewer { role seller { id } } }';

const dir = mkdtempSync(path.join(tmpdir(), 'trusted-docs-'));
const manifest = path.join(dir, 'persisted-documents.json');
writeFileSync(manifest, JSON.stringify({ [VIEWER_HASH]: VIEWER }));

let enforced: TestServer;
let development: TestServer;

beforeAll(async () => {
  [enforced, development] = await Promise.all([
    startTestServer({
      GRAPHQL_TRUSTED_DOCUMENTS: manifest,
      GRAPHQL_TRUSTED_DOCUMENTS_ENFORCE: 'on',
    }),
    startTestServer({ GRAPHQL_TRUSTED_DOCUMENTS: manifest }),
  ]);
});
afterAll(() => Promise.all([enforced?.stop(), development?.stop()]));

/** POSTs a request body as given (a document id instead of a query, say). */
async function postBody(server: TestServer, body: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${server.tokens.seller[0]}`,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as Omit<Answer, 'status'>) };
}

const role = (answer: Answer) => (answer.data?.viewer as { role?: string } | undefined)?.role;

describe('enforced', () => {
  it('refuses a document that is not registered, over HTTP and WebSocket', async () => {
    const token = enforced.tokens.seller[0];
    const http = await postGraphQL(enforced, UNREGISTERED, {}, token);
    expect(http.status).toBe(400);
    expect(codeOf(http)).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(http.data ?? null).toBeNull();
    const ws = await wsGraphQL(enforced, UNREGISTERED, {}, token);
    expect(codeOf(ws)).toBe('TRUSTED_DOCUMENT_REQUIRED');
  });

  it('runs a registered document by documentId, by persistedQuery hash and by its text', async () => {
    const byId = await postBody(enforced, { documentId: `sha256:${VIEWER_HASH}` });
    expect(byId.errors).toBeUndefined();
    expect(role(byId)).toBe('SELLER');
    const byHash = await postBody(enforced, {
      extensions: { persistedQuery: { version: 1, sha256Hash: VIEWER_HASH } },
    });
    expect(role(byHash)).toBe('SELLER');
    const byText = await postGraphQL(enforced, VIEWER, {}, enforced.tokens.seller[0]);
    expect(role(byText)).toBe('SELLER');
  });

  it('runs a registered document by id over GET and WebSocket', async () => {
    const url = `${enforced.url}?documentId=sha256:${VIEWER_HASH}`;
    const res = await fetch(url, {
      headers: {
        accept: 'application/json',
        // Apollo's CSRF prevention asks a GET for a header a simple request cannot carry.
        'apollo-require-preflight': 'true',
        authorization: `Bearer ${enforced.tokens.seller[0]}`,
      },
    });
    const body = (await res.json()) as Answer;
    expect(body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    expect(body.data).toEqual({ viewer: expect.any(Object) });
    const ws = await wsGraphQL(enforced, '', {}, enforced.tokens.seller[0], {
      persistedQuery: { version: 1, sha256Hash: VIEWER_HASH },
    });
    expect(role(ws)).toBe('SELLER');
  });

  it.each([
    ['an unknown hash', { documentId: `sha256:${'0'.repeat(64)}` }],
    ['a malformed id', { documentId: 'sha256:../../etc/passwd' }],
    ['an id of the wrong type', { documentId: 42 }],
    ['a malformed persistedQuery', { extensions: { persistedQuery: { sha256Hash: ['x'] } } }],
  ])('answers %s with PERSISTED_QUERY_NOT_FOUND', async (_name, body) => {
    const answer = await postBody(enforced, body);
    expect(answer.status).toBe(400);
    expect(codeOf(answer)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('development', () => {
  it('runs any query, and registered ids too', async () => {
    const token = development.tokens.seller[0];
    const any = await postGraphQL(development, UNREGISTERED, {}, token);
    expect(any.errors).toBeUndefined();
    expect(role(any)).toBe('SELLER');
    const byId = await postBody(development, { documentId: `sha256:${VIEWER_HASH}` });
    expect(role(byId)).toBe('SELLER');
  });

  it('still serves the IDE', async () => {
    const res = await fetch(development.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('graphiql');
  });
});

describe('the manifest', () => {
  it('is refused at start when a key is not the sha256 of its document', () => {
    const bad = path.join(dir, 'sha1.json');
    writeFileSync(bad, JSON.stringify({ ['a'.repeat(40)]: VIEWER }));
    expect(() => TrustedDocuments.load(bad, true)).toThrow(ConfigError);
    expect(() => TrustedDocuments.load(path.join(dir, 'missing.json'), true)).toThrow(ConfigError);
  });
});
