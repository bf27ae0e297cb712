import { serverAudits } from 'graphql-http';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/**
 * Apollo's CSRF prevention over real HTTP (its integration suite's matrix), and the
 * GraphQL-over-HTTP conformance audits of graphql-http.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const QUERY = '{ viewer { role } }';
const CSRF = /Cross-Site Request Forgery/;

interface Sent {
  status: number;
  body: string;
}

async function post(contentType: string | null, extra: Record<string, string> = {}): Promise<Sent> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${server.tokens.seller[0]}`,
    ...extra,
  };
  if (contentType !== null) headers['content-type'] = contentType;
  // A Blob body would make fetch add its own content type; a Uint8Array adds none.
  const res = await fetch(server.url, {
    method: 'POST',
    headers,
    body: new TextEncoder().encode(JSON.stringify({ query: QUERY })),
  });
  return { status: res.status, body: await res.text() };
}

async function get(query: string, headers: Record<string, string> = {}): Promise<Sent> {
  const url = `${server.url}?query=${encodeURIComponent(query)}`;
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${server.tokens.seller[0]}`, ...headers },
  });
  return { status: res.status, body: await res.text() };
}

const served = (sent: Sent) => {
  expect(sent.status).toBe(200);
  expect(JSON.parse(sent.body)).toEqual({
    data: { viewer: { role: 'SELLER' } },
    extensions: { cost: expect.any(Object) },
  });
};
const blocked = (sent: Sent) => {
  expect(sent.status).toBe(400);
  expect(sent.body).toMatch(CSRF);
  expect(sent.body).not.toMatch(/SELLER/);
};

describe('CSRF prevention on POST', () => {
  it('serves application/json', async () => {
    served(await post('application/json'));
  });

  it.each([
    ['no content type', null],
    ['text/plain', 'text/plain'],
    ['padded text/plain with a charset', '    text/plain   ; charset=utf-8'],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
    ['multipart/form-data', 'multipart/form-data; boundary=x'],
  ])('blocks a simple request with %s', async (_what, contentType) => {
    blocked(await post(contentType));
  });
});

describe('CSRF prevention on GET', () => {
  it('blocks a GET with no preflight header', async () => {
    blocked(await get(QUERY));
  });

  it('blocks a GET carrying only an unrelated header', async () => {
    blocked(await get(QUERY, { 'x-random': 'yes' }));
  });

  it.each([
    ['content-type: application/json', { 'content-type': 'application/json' }],
    ['x-apollo-operation-name', { 'x-apollo-operation-name': 'Viewer' }],
    ['apollo-require-preflight', { 'apollo-require-preflight': 'true' }],
  ])('serves a GET with %s (it forces a preflight)', async (_what, headers) => {
    served(await get(QUERY, headers));
  });

  it('refuses a mutation over GET even with a preflight header, and changes nothing', async () => {
    // The third seed seller has not accepted the terms; a GET must not accept them for it.
    const token = server.tokens.seller[2];
    const terms = async () =>
      (await server.gql('{ signatureTerms { version acceptedAt } }', {}, token)).data as {
        signatureTerms: { version: string; acceptedAt: string | null };
      };
    const { version, acceptedAt } = (await terms()).signatureTerms;
    expect(acceptedAt).toBeNull();
    const mutation = `mutation { acceptSignatureTerms(input: { version: "${version}" }) { userErrors { code } } }`;
    const refused = await fetch(`${server.url}?query=${encodeURIComponent(mutation)}`, {
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('POST');
    expect(await refused.text()).toMatch(/GET requests only support query operations/);
    expect((await terms()).signatureTerms.acceptedAt).toBeNull();
  });
});

describe('GraphQL over HTTP conformance (graphql-http audits)', () => {
  it('fails no required audit', async () => {
    const token = server.tokens.seller[0];
    const audits = serverAudits({
      url: server.url,
      fetchFn: (input: string | URL | Request, init: RequestInit = {}) =>
        fetch(input, {
          ...init,
          headers: {
            ...(init.headers as Record<string, string>),
            authorization: `Bearer ${token}`,
          },
        }),
    });
    const results = await Promise.all(audits.map((audit) => audit.fn()));
    const failed = results
      .filter((r) => r.status === 'error')
      .map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failed).toEqual([]);
    // The suite itself ran: Apollo passes most audits outright.
    expect(results.filter((r) => r.status === 'ok').length).toBeGreaterThan(results.length / 2);
  });
});
