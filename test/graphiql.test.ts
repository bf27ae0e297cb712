import { buildSchema, getOperationAST, parse, validate } from 'graphql';
import { renderSchema } from '../src/cli/emit-schema';
import { ideExamples } from '../src/http/ide/examples';
import { operationText } from '../src/operations/documents';
import { NodeByIdDocument } from './generated/operations';
import type { IdePageConfig } from '../src/http/ide/page';
import { ideConfig, renderIdePage, scriptSafeJson } from '../src/http/ide/page';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

function configOf(html: string): IdePageConfig {
  const match = /<script type="application\/json" id="ide-config">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error('no IDE config block in the page');
  return JSON.parse(match[1]) as IdePageConfig;
}

function attributeUrls(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
}

describe('GraphQL IDE', () => {
  let server: TestServer;
  let origin: string;
  let page: Response;
  let html: string;

  beforeAll(async () => {
    server = await startTestServer();
    origin = new URL(server.url).origin;
    page = await fetch(server.url, { headers: { accept: BROWSER_ACCEPT } });
    html = await page.text();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves GraphiQL to a browser GET of /graphql', () => {
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('vary')).toMatch(/accept/i);
    expect(html).toContain('<title>Countersign GraphQL IDE</title>');
    expect(html).toContain('<div id="graphiql">');
  });

  it('loads nothing from another origin', () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.(com|net|org|io|dev)\b/i);
    const urls = attributeUrls(html);
    expect(urls.length).toBeGreaterThanOrEqual(5);
    for (const url of urls) expect(url).toMatch(/^(\/(?!\/)|data:)/);
  });

  it('sends a Content-Security-Policy that allows only its own origin', () => {
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(csp).toContain("frame-ancestors 'none'");
    const host = new URL(server.url).host;
    const sources = csp
      .split(';')
      .flatMap((d) => d.trim().split(/\s+/).slice(1))
      .filter((s) => !s.startsWith("'") && s !== 'data:');
    expect(sources.sort()).toEqual([`ws://${host}`, `wss://${host}`]);
  });

  it('prefills the first seed seller token and the example operations', () => {
    const config = configOf(html);
    expect(config.endpoint).toBe('/graphql');
    expect(config.tabs.map((t) => t.query)).toEqual(ideExamples().map((e) => e.query));
    const expected = { Authorization: `Bearer ${server.tokens.seller[0]}` };
    for (const tab of config.tabs) expect(JSON.parse(tab.headers ?? '')).toEqual(expected);
    expect(JSON.parse(config.defaultHeaders)).toEqual(expected);
  });

  it('serves the assets from node_modules with long cache headers', async () => {
    const urls = attributeUrls(html).filter((u) => u.startsWith('/graphql/ide/'));
    expect(urls.map((u) => u.replace(/^.*\//, '').replace(/\.[0-9a-f]{12}\./, '.'))).toEqual(
      expect.arrayContaining([
        'graphiql.min.css',
        'react.production.min.js',
        'react-dom.production.min.js',
        'graphiql.min.js',
        'boot.js',
      ]),
    );
    for (const url of urls) {
      const res = await fetch(origin + url);
      const body = await res.text();
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      const type = url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/;
      expect(res.headers.get('content-type')).toMatch(type);
      expect(res.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(body.length).toBeGreaterThan(url.includes('boot.') ? 100 : 10_000);
    }
    expect(urls.find((u) => u.includes('/graphiql@'))).toContain('/graphiql@4.1.2/');
    expect((await fetch(`${origin}/graphql/ide/nothing.js`)).status).toBe(404);
  });

  it('lets non-HTML GETs of /graphql through to GraphQL', async () => {
    const url = `${server.url}?query=${encodeURIComponent('{ __typename }')}`;
    for (const accept of ['application/json', 'application/graphql-response+json', '*/*']) {
      const res = await fetch(url, {
        headers: { accept, 'apollo-require-preflight': 'true' },
      });
      expect({ accept, status: res.status }).toEqual({ accept, status: 200 });
      expect(((await res.json()) as { data: unknown }).data).toEqual({ __typename: 'Query' });
    }
    // Without the preflight header Apollo's CSRF prevention still answers (not the IDE).
    const blocked = await fetch(url, { headers: { accept: 'application/json' } });
    expect(blocked.status).toBe(400);
    expect(blocked.headers.get('content-type')).not.toMatch(/html/);
  });

  it("orders the tabs by the seller's day: find, quote, terms, buy, track, verify", () => {
    const names = configOf(html).tabs.map((t) => getOperationAST(parse(t.query))?.name?.value);
    expect(names.slice(0, 9)).toEqual([
      'HighRiskOrders',
      'QuoteLabel',
      'SignatureTerms',
      'AcceptSignatureTerms',
      'PurchaseLabel',
      'TrackParcel',
      'SellerShipmentFeed',
      'LiveTracking',
      'VerifyDeliveryProof',
    ]);
  });

  it('keeps the comments of every tab within the editor width (72 characters)', () => {
    for (const tab of configOf(html).tabs) {
      const long = tab.query.split('\n').filter((l) => l.startsWith('#') && l.length > 72);
      expect(long).toEqual([]);
    }
  });

  it("fills the variables with the seller's real ids, read when the page is served", async () => {
    const token = server.tokens.seller[0];
    const tabs = configOf(html).tabs;
    const varsOf = (name: string) =>
      JSON.parse(tabs.find((t) => t.query.includes(` ${name}(`))?.variables ?? '{}') as Record<
        string,
        string
      >;
    const { orderId } = varsOf('QuoteLabel');
    const order = await server.gql(NodeByIdDocument, { id: orderId }, token);
    expect(order.data?.node).toMatchObject({ id: orderId, __typename: 'Order' });
    const terms = await server.gql(operationText('SignatureTerms'), {}, token);
    expect(varsOf('AcceptSignatureTerms').version).toBe(
      (terms.data as { signatureTerms: { version: string } }).signatureTerms.version,
    );
    // No quote yet: the tab says where one comes from; after a quote, a reload fills it in.
    expect(varsOf('PurchaseLabel').quoteId).toMatch(/QuoteLabel/);
    const quoted = await server.gql(operationText('QuoteLabel'), { orderId }, token);
    const quoteId = (quoted.data as { createLabelQuote: { quote: { id: string } } })
      .createLabelQuote.quote.id;
    const reloaded = configOf(
      await (await fetch(server.url, { headers: { accept: BROWSER_ACCEPT } })).text(),
    );
    const purchase = reloaded.tabs.find((t) => t.query.includes(' PurchaseLabel('));
    expect(JSON.parse(purchase?.variables ?? '{}')).toMatchObject({ quoteId });
  });

  it('has example operations that validate and run without errors', async () => {
    const schema = buildSchema(await renderSchema());
    for (const example of configOf(html).tabs) {
      expect(validate(schema, parse(example.query)).map((e) => e.message)).toEqual([]);
      // Subscriptions run over WebSocket (test/subscription-*.test.ts); here they are validated.
      if (getOperationAST(parse(example.query))?.operation === 'subscription') continue;
      const variables = example.variables ? (JSON.parse(example.variables) as object) : undefined;
      const res = await server.gql(example.query, variables, server.tokens.seller[0]);
      expect(res.errors).toBeUndefined();
      expect(res.data).toBeTruthy();
    }
  });
});

describe('IDE page rendering', () => {
  it('escapes the token and examples so they cannot close the script element', () => {
    const evil = '</script><script>alert(1)</script><!--';
    const config = ideConfig('/graphql', [{ query: `# ${evil}\n{ __typename }` }], evil);
    const html = renderIdePage(config, { css: '/a.css', scripts: ['/a.js'] });
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('alert(1)</script>');
    expect(configOf(html)).toEqual(config);
    expect(JSON.parse(config.defaultHeaders)).toEqual({ Authorization: `Bearer ${evil}` });
    expect(scriptSafeJson('\u2028<&>')).toBe('"\\u2028\\u003c\\u0026\\u003e"');
  });

  it('prefills empty headers without a token', () => {
    const config = ideConfig('/graphql', ideExamples(), null);
    expect(config.defaultHeaders).toBe('{}');
  });
});

describe('GraphQL IDE without COUNTERSIGN_DEV (production)', () => {
  it('is not served', async () => {
    const server = await startTestServer({
      NODE_ENV: 'production',
      COUNTERSIGN_DEV: 'off',
      CARRIER_SECRET_UPS: 'test-ups-secret',
      CARRIER_SECRET_USPS: 'test-usps-secret',
      LABEL_DOCUMENT_SECRET: 'test-label-document-secret',
      // Production logs requests at info; the suite's output is for test results.
      LOG_LEVEL: 'silent',
    });
    try {
      const res = await fetch(server.url, { headers: { accept: BROWSER_ACCEPT } });
      const body = await res.text();
      expect(body).not.toContain('Countersign GraphQL IDE');
      expect(body).not.toContain(server.tokens.seller[0]);
      expect((await fetch(`${new URL(server.url).origin}/graphql/ide/nothing.js`)).status).not.toBe(
        200,
      );
    } finally {
      await server.stop();
    }
  });
});
