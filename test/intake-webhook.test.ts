import { loadConfig } from '../src/config/config';
import { Address, LineItem, Order, RiskAssessment } from '../src/entities';
import { signatureHeader } from '../src/webhooks/signature';
import { orderInput, postMarketplaceOrders } from './support/intake';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

const CURRENT = 'marketplace-secret-2026-12';
const PREVIOUS = 'marketplace-secret-2026-06';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    MARKETPLACE_WEBHOOK_SECRET: CURRENT,
    MARKETPLACE_WEBHOOK_SECRET_PREVIOUS: PREVIOUS,
  });
});
afterAll(() => server.stop());

async function rowCounts() {
  const m = server.db.manager;
  return {
    orders: await m.count(Order),
    addresses: await m.count(Address),
    lineItems: await m.count(LineItem),
    assessments: await m.count(RiskAssessment),
  };
}

const post = (body: unknown, options: Parameters<typeof postMarketplaceOrders>[2] = {}) =>
  postMarketplaceOrders(server.url, body, { secret: CURRENT, ...options });

describe('POST /webhooks/marketplace/orders', () => {
  it('imports signed orders and answers per order, as importOrders does', async () => {
    const bad = orderInput({ externalId: 'wh-2' });
    bad.lineItems[0].sku = '';
    const res = await post({ source: 'acme', orders: [orderInput({ externalId: 'wh-1' }), bad] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      userErrors: [],
      results: [
        {
          index: 0,
          outcome: 'CREATED',
          order: { id: expect.any(String), number: 'M-wh-1', externalId: 'wh-1' },
          userErrors: [],
        },
        {
          index: 1,
          outcome: 'REJECTED',
          order: null,
          userErrors: [
            expect.objectContaining({
              code: 'INVALID_INPUT',
              field: ['orders', '1', 'lineItems', '0', 'sku'],
            }),
          ],
        },
      ],
    });
    const row = await server.db.manager.findOneByOrFail(Order, { externalId: 'wh-1' });
    expect(await server.db.manager.count(RiskAssessment, { where: { orderId: row.id } })).toBe(1);
  });

  it('answers a repeated push UNCHANGED and writes nothing', async () => {
    const body = { source: 'acme', orders: [orderInput({ externalId: 'wh-repeat' })] };
    expect((await post(body)).status).toBe(200);
    const before = await rowCounts();
    const again = await post(body);
    expect((again.body.results as Array<{ outcome: string }>)[0].outcome).toBe('UNCHANGED');
    expect(await rowCounts()).toEqual(before);
  });

  it('accepts the previous secret during a rotation', async () => {
    const res = await post(
      { source: 'acme', orders: [orderInput({ externalId: 'wh-rotated' })] },
      { secret: PREVIOUS },
    );
    expect(res.status).toBe(200);
  });

  it('refuses a bad or stale signature with 401 and a code, writing nothing', async () => {
    const before = await rowCounts();
    const body = { source: 'acme', orders: [orderInput({ externalId: 'wh-forged' })] };
    const forged = await post(body, { secret: 'not-the-secret' });
    expect(forged).toEqual({ status: 401, body: { error: 'INVALID_SIGNATURE' } });
    const raw = JSON.stringify(body);
    const stale = await post(body, {
      header: signatureHeader(CURRENT, raw, Math.floor(Date.now() / 1000) - 3600),
    });
    expect(stale).toEqual({ status: 401, body: { error: 'INVALID_SIGNATURE' } });
    const unsigned = await post(body, { header: null });
    expect(unsigned).toEqual({ status: 400, body: { error: 'INVALID_SIGNATURE_HEADER' } });
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses malformed JSON, a body that is not an object, and an oversized body with codes', async () => {
    expect(await post(null, { raw: '{"source": "acme", "orders": [' })).toEqual({
      status: 400,
      body: { error: 'INVALID_JSON' },
    });
    expect(await post(['not', 'an', 'object'])).toEqual({
      status: 400,
      body: { error: 'INVALID_BODY' },
    });
    const huge = await post({ source: 'acme', orders: [], pad: 'x'.repeat(1_100_000) });
    expect(huge).toEqual({ status: 413, body: { error: 'PAYLOAD_TOO_LARGE' } });
  });

  it('refuses 101 orders or a bad source as a whole with 422 and writes nothing', async () => {
    const before = await rowCounts();
    const orders = Array.from({ length: 101 }, (_, i) => orderInput({ externalId: `wh-big-${i}` }));
    const big = await post({ source: 'acme', orders });
    expect(big.status).toBe(422);
    expect(big.body).toMatchObject({
      results: [],
      userErrors: [expect.objectContaining({ code: 'TOO_MANY_ORDERS', field: ['orders'] })],
    });
    const badSource = await post({ source: '', orders: [orderInput({ externalId: 'wh-s' })] });
    expect(badSource.status).toBe(422);
    expect(await rowCounts()).toEqual(before);
  });
});

describe('marketplace webhook secret', () => {
  const production = {
    CARRIER_SECRET_UPS: 'ups-real',
    CARRIER_SECRET_USPS: 'usps-real',
    LABEL_DOCUMENT_SECRET: 'doc-real',
  };

  it('is off when unset without the dev switch, and the endpoint answers 503', async () => {
    expect(loadConfig(production).marketplaceSecrets).toEqual([]);
    const off = await startTestServer({ COUNTERSIGN_DEV: 'off', ...production });
    try {
      const res = await postMarketplaceOrders(off.url, { source: 'acme', orders: [] });
      expect(res).toEqual({ status: 503, body: { error: 'WEBHOOK_DISABLED' } });
    } finally {
      await off.stop();
    }
  });

  it('refuses the public dev secret without the dev switch, and a previous without a current', () => {
    expect(() =>
      loadConfig({ ...production, MARKETPLACE_WEBHOOK_SECRET: 'dev-marketplace-webhook-secret' }),
    ).toThrow(/MARKETPLACE_WEBHOOK_SECRET is the public dev secret/);
    expect(() => loadConfig({ ...production, MARKETPLACE_WEBHOOK_SECRET_PREVIOUS: 'old' })).toThrow(
      /MARKETPLACE_WEBHOOK_SECRET_PREVIOUS is set without MARKETPLACE_WEBHOOK_SECRET/,
    );
  });

  it('uses the dev secret with the dev switch', () => {
    expect(loadConfig({ COUNTERSIGN_DEV: 'on' }).marketplaceSecrets).toEqual([
      'dev-marketplace-webhook-secret',
    ]);
  });
});
