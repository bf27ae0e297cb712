import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { fromGlobalId } from '../../src/core/global-id';
import { ViewerDocument } from '../generated/operations';
import { buyLabel, pickOrder } from '../support/labels';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The little of the page's DOM the test touches (tsconfig has no DOM lib; this stays module-local). */
interface CodeMirrorHost {
  CodeMirror: {
    getValue(): string;
    setValue(value: string): void;
    /** What GraphiQL will send as operationName (set by its debounced parse). */
    operationName?: string | null;
  };
}
declare const document: {
  querySelector(selector: string): CodeMirrorHost | null;
  querySelectorAll(selector: string): ArrayLike<CodeMirrorHost>;
};

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

function isLocal(url: string): boolean {
  if (url.startsWith('data:')) return true;
  try {
    return LOCAL_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Replaces the active tab's query through CodeMirror 5, which hangs itself on its wrapper. */
async function setQuery(page: Page, query: string): Promise<void> {
  await page.evaluate((text) => {
    const wrapper = document.querySelector('.graphiql-query-editor .CodeMirror');
    if (!wrapper) throw new Error('query editor not found');
    wrapper.CodeMirror.setValue(text);
  }, query);
}

/** Sets the query, waits until GraphiQL has re-read the operation name (the tab title), runs it. */
async function run(page: Page, query: string, expected: string | RegExp): Promise<string> {
  await setQuery(page, query);
  const title = /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1] ?? '<untitled>';
  await page.locator('.graphiql-tab-active').getByText(title, { exact: true }).waitFor();
  await page.click('.graphiql-execute-button');
  const result = page.locator('.result-window');
  await result.getByText(expected).first().waitFor();
  return result.innerText();
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error('condition not met within 5 s');
}

/** Quotes the seller's first awaiting order and buys its cheapest label without a signature. */
async function buyFirstLabel(server: TestServer, token: string): Promise<string> {
  const order = await pickOrder(server, token);
  const { label } = await buyLabel(server, token, {
    orderId: order.id,
    signatureOption: 'NONE',
    idempotencyKey: `ide-test-${order.id}`,
  });
  return label.trackingNumber;
}

describe('GraphQL IDE in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const sockets: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Record every request; refuse (and so flag) anything leaving the machine.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      return isLocal(url) ? route.continue() : route.abort('blockedbyclient');
    });
    page = await context.newPage();
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(server.url);
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders the IDE with the example tabs and the dev token prefilled', async () => {
    expect(await page.title()).toBe('Countersign GraphQL IDE');
    const tabs = await page.locator('.graphiql-tab').allInnerTexts();
    expect(tabs.join(' ')).toEqual(expect.stringContaining('HighRiskOrders'));
    expect(tabs.join(' ')).toEqual(expect.stringContaining('CarrierServices'));
    const headers = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.graphiql-editor-tool .CodeMirror'))
        .map((el) => el.CodeMirror.getValue())
        .join('\n'),
    );
    expect(headers).toContain(`Bearer ${server.tokens.seller[0]}`);
  });

  it("opens the seller's day in order and runs its first tabs with their prefilled ids", async () => {
    const tabs = await page.locator('.graphiql-tab').allInnerTexts();
    expect(tabs.slice(0, 5).map((t) => t.trim())).toEqual([
      'HighRiskOrders',
      'QuoteLabel',
      'SignatureTerms',
      'AcceptSignatureTerms',
      'PurchaseLabel',
    ]);
    // Find: the first tab is active on load; run it as it is.
    await page.click('.graphiql-execute-button');
    const result = page.locator('.result-window');
    await result.getByText('"totalCount"').first().waitFor();
    const found = await result.innerText();
    expect(found).not.toContain('"errors"');
    // Quote: the second tab's orderId is one of the seller's real high-risk orders.
    await page.locator('.graphiql-tab').nth(1).locator('button').first().click();
    await page.locator('.graphiql-tab-active').getByText('QuoteLabel', { exact: true }).waitFor();
    // GraphiQL names the tab's operation 100 ms after its text changes (a debounced parse);
    // running it sooner sends the previous tab's operation name, which the server refuses.
    await page.waitForFunction(
      () =>
        document.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror.operationName ===
        'QuoteLabel',
    );
    const editors = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.graphiql-editor-tool .CodeMirror')).map((el) =>
        el.CodeMirror.getValue(),
      ),
    );
    const variables = editors.find((text) => text.includes('orderId')) ?? '{}';
    const { orderId } = JSON.parse(variables) as { orderId: string };
    expect(fromGlobalId(orderId, 'Order')).toBeGreaterThan(0);
    expect(found).toContain(orderId);
    await page.click('.graphiql-execute-button');
    await result.getByText('"expiresAt"').first().waitFor();
    const quoted = await result.innerText();
    // CodeMirror renders only the lines in view: the quote's head is what shows.
    expect(quoted).toContain('"quote": {');
    expect(quoted).not.toContain('"errors"');
  });

  it('runs a query over HTTP with the prefilled token', async () => {
    // Named, so the tab title tells when GraphiQL has re-read the editor (else it sends stale facts).
    const text = await run(page, 'query WhoAmI { viewer { role seller { name } } }', 'SELLER');
    expect(text).toContain('"role": "SELLER"');
    expect(text).not.toContain('errors');
    await page.screenshot({ path: '/tmp/ide.png' });
  });

  it('runs a subscription over graphql-ws and shows a live update pushed by a label purchase', async () => {
    const me = await server.gql(ViewerDocument, {}, server.tokens.seller[0]);
    const sellerId = fromGlobalId(me.data?.viewer.seller?.id as string, 'Seller');
    await setQuery(
      page,
      'subscription Feed { sellerShipmentFeed { changes shipment { trackingNumber status } } }',
    );
    await page.locator('.graphiql-tab-active').getByText('Feed', { exact: true }).waitFor();
    await page.click('.graphiql-execute-button');
    // The subscription is live once the server has a listener on this seller's feed.
    await waitUntil(() => server.listeners('seller:shipments', sellerId) > 0);

    const trackingNumber = await buyFirstLabel(server, server.tokens.seller[0]);
    const result = page.locator('.result-window');
    await result.getByText(trackingNumber).first().waitFor();
    expect(await result.innerText()).toContain('CREATED');
    expect(sockets.length).toBeGreaterThan(0);
    for (const url of sockets) expect(url).toBe(server.wsUrl);
  });

  it('made no request outside the machine and no CSP or script error', () => {
    expect(requests.length).toBeGreaterThanOrEqual(6);
    expect(requests.filter((url) => !isLocal(url))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
