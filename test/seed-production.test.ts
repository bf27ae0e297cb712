import { print } from 'graphql';
import type { DocumentNode } from 'graphql';
import type { Countersign } from '../src/bootstrap';
import { prepareDatabase, startSeeded } from '../src/cli/seed-if-empty';
import type { SeedResult } from '../src/cli/seed-if-empty';
import { loadConfig } from '../src/config/config';
import {
  ApiToken,
  Buyer,
  CarrierService,
  Order,
  RiskAssessment,
  Seller,
  ServiceSignatureOption,
  SignatureTerms,
} from '../src/entities';
import { Role } from '../src/entities/enums';
import { CARRIER_CATALOG } from '../src/reference/carrier-catalog';
import { devToken } from '../seeds/dev-tokens';
import { SEED_NOW, buildFixtures } from '../seeds/fixtures';
import { SIGNATURE_TERMS_VERSION } from '../src/reference/signature-terms';
import { signatureHeader } from '../src/webhooks/signature';
import { ViewerDocument } from './generated/operations';
import { DEV_SECRETS } from './support/carrier';
import { createTestStores } from './support/test-stores';
import type { TestStores } from './support/test-stores';

const DAY_MS = 86_400_000;

interface Started {
  countersign: Countersign;
  /** What the start seeded (before the server listened). */
  seeded: SeedResult;
  stores: TestStores;
}

/** `npm start`'s server over an empty database of its own (or `stores`): seeded, then serving. */
async function start(env: NodeJS.ProcessEnv, given?: TestStores): Promise<Started> {
  const stores = given ?? (await createTestStores());
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    OUTBOX_WORKER: 'off',
    RATE_LIMITS: 'off',
    ...stores.env,
    ...env,
  });
  try {
    const { countersign, seeded } = await startSeeded(config, {
      // Offered whatever the switch says: only COUNTERSIGN_DEV may put it in a page.
      ideToken: devToken(Role.SELLER, 1),
      schema: stores.schema,
      redisChannelPrefix: stores.redisChannelPrefix,
    });
    return { countersign, seeded, stores };
  } catch (error) {
    if (!given) await stores.release();
    throw error;
  }
}

async function stop(started: Started | undefined): Promise<void> {
  await started?.countersign.stop();
  await started?.stores.release();
}

async function gql(
  countersign: Countersign,
  document: DocumentNode,
  token: string,
): Promise<{ data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> }> {
  const res = await fetch(countersign.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document) }),
  });
  return (await res.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> };
}

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** What a browser gets at the endpoint: the IDE page with COUNTERSIGN_DEV, else no HTML at all. */
async function idePage(countersign: Countersign): Promise<{ status: number; body: string }> {
  const res = await fetch(countersign.url, { headers: { accept: BROWSER_ACCEPT } });
  return { status: res.status, body: await res.text() };
}

/** POSTs an (unknown-shipment) UPS event signed with `secret`; returns the status. */
async function postSignedWebhook(countersign: Countersign, secret: string): Promise<number> {
  const raw = JSON.stringify({
    eventId: `evt-failclosed-${Date.now()}-${Math.random()}`,
    trackingNumber: '1ZNOSUCHSHIPMENT',
    status: 'IN_TRANSIT',
    description: 'Arrived at facility',
    location: 'Portland, OR',
    occurredAt: new Date().toISOString(),
  });
  const res = await fetch(countersign.url.replace(/\/graphql$/, '/webhooks/carriers/ups'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'countersign-signature': signatureHeader(secret, raw),
    },
    body: raw,
  });
  return res.status;
}

describe('node dist/src/main.js with nothing set but real secrets', () => {
  let started: Started;

  beforeAll(async () => {
    started = await start({
      NODE_ENV: undefined,
      COUNTERSIGN_DEV: undefined,
      CARRIER_SECRET_UPS: 'real-ups-secret-for-the-test',
      CARRIER_SECRET_USPS: 'real-usps-secret-for-the-test',
      LABEL_DOCUMENT_SECRET: 'real-label-document-secret-for-the-test',
    });
  });
  afterAll(() => stop(started));

  it('behaves as production: reference data only, the dev tokens refused, the admin first', async () => {
    expect(started.countersign.config.devMode).toBe(false);
    expect(started.seeded).toEqual({ seeded: true, tokens: [] });
    expect(await started.countersign.db.manager.count(ApiToken)).toBe(0);
    for (const token of [devToken(Role.ADMIN), devToken(Role.SELLER, 1), devToken(Role.BUYER, 1)]) {
      const res = await gql(started.countersign, ViewerDocument, token);
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('serves no IDE page, so no token is embedded anywhere', async () => {
    const page = await idePage(started.countersign);
    expect(page.body).not.toContain('Countersign GraphQL IDE');
    expect(page.body).not.toContain('cs_dev_');
  });

  it('refuses a webhook signed with the public dev secret with 401, takes the real one', async () => {
    expect(await postSignedWebhook(started.countersign, DEV_SECRETS.UPS)).toBe(401);
    expect(await postSignedWebhook(started.countersign, 'real-ups-secret-for-the-test')).not.toBe(
      401,
    );
  });
});

describe('a production start on a database that npm start seeded', () => {
  it('refuses to start, naming DATABASE_URL, instead of honouring the dev tokens', async () => {
    const stores = await createTestStores();
    try {
      const dev = await start({ COUNTERSIGN_DEV: 'on' }, stores);
      await dev.countersign.stop();
      const production = start(
        {
          CARRIER_SECRET_UPS: 'real-ups-secret-for-the-test',
          CARRIER_SECRET_USPS: 'real-usps-secret-for-the-test',
          LABEL_DOCUMENT_SECRET: 'real-label-document-secret-for-the-test',
        },
        stores,
      );
      await expect(production).rejects.toMatchObject({
        name: 'ConfigError',
        variable: 'DATABASE_URL',
        message: expect.stringMatching(/^DATABASE_URL holds \d+ well-known dev token\(s\)/),
      });
    } finally {
      await stores.release();
    }
  });
});

describe('npm start on an empty production database', () => {
  let started: Started;

  beforeAll(async () => {
    started = await start({
      NODE_ENV: 'production',
      CARRIER_SECRET_UPS: 'prod-ups-secret-for-the-test',
      CARRIER_SECRET_USPS: 'prod-usps-secret-for-the-test',
      LABEL_DOCUMENT_SECRET: 'prod-label-document-secret-for-the-test',
    });
  });
  afterAll(() => stop(started));

  it('seeds the carrier catalog and signature terms only: no demo data, no dev tokens', async () => {
    expect(started.seeded).toEqual({ seeded: true, tokens: [] });
    const m = started.countersign.db.manager;
    expect(await m.count(CarrierService)).toBe(CARRIER_CATALOG.length);
    expect(await m.count(ServiceSignatureOption)).toBeGreaterThan(0);
    expect((await m.find(SignatureTerms)).map((t) => t.version)).toEqual([SIGNATURE_TERMS_VERSION]);
    expect({
      sellers: await m.count(Seller),
      buyers: await m.count(Buyer),
      orders: await m.count(Order),
      tokens: await m.count(ApiToken),
    }).toEqual({ sellers: 0, buyers: 0, orders: 0, tokens: 0 });
  });

  it('refuses the well-known dev tokens, the admin token first', async () => {
    for (const token of [devToken(Role.ADMIN), devToken(Role.SELLER, 1), devToken(Role.BUYER, 1)]) {
      const res = await gql(started.countersign, ViewerDocument, token);
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('seeds nothing again on the next start', async () => {
    expect(await prepareDatabase(started.countersign)).toEqual({ seeded: false, tokens: [] });
    const m = started.countersign.db.manager;
    expect(await m.count(CarrierService)).toBe(CARRIER_CATALOG.length);
    expect(await m.count(SignatureTerms)).toBe(1);
  });
});

describe('npm start (COUNTERSIGN_DEV=on) on an empty database', () => {
  let started: Started;
  let before: number;

  beforeAll(async () => {
    before = Date.now();
    started = await start({ COUNTERSIGN_DEV: 'on' });
  });
  afterAll(() => stop(started));

  it('seeds demo data dated today, so account ages hold against the real clock', async () => {
    const result = started.seeded;
    expect(result.seeded).toBe(true);
    const admin = result.tokens.find((t) => t.role === Role.ADMIN)!;
    const viewer = await gql(started.countersign, ViewerDocument, admin.token);
    expect(viewer).toEqual({
      data: { viewer: { role: 'ADMIN', seller: null, buyer: null } },
      extensions: { cost: expect.any(Object) },
    });

    const m = started.countersign.db.manager;
    const assessments = await m.find(RiskAssessment, { where: { isCurrent: true } });
    expect(assessments).toHaveLength(await m.count(Order));
    for (const a of assessments) {
      expect(a.createdAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(a.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
    }
    // A buyer whose account the fixtures make 3 days old is 3 days old today, not a week ago.
    const ages = new Map(
      buildFixtures(SEED_NOW).buyers.map((b) => [
        b.name,
        Math.round((SEED_NOW.getTime() - b.createdAt.getTime()) / DAY_MS),
      ]),
    );
    const buyers = await m.find(Buyer);
    const ageToday = (b: Buyer) => Math.floor((Date.now() - b.createdAt.getTime()) / DAY_MS);
    expect(Object.fromEntries(buyers.map((b) => [b.name, ageToday(b)]))).toEqual(
      Object.fromEntries(buyers.map((b) => [b.name, ages.get(b.name)])),
    );
  });

  it("keeps the dev conveniences: the IDE prefilled with a seller's token, the dev secrets", async () => {
    const page = await idePage(started.countersign);
    expect(page.body).toContain('Countersign GraphQL IDE');
    expect(page.body).toContain(devToken(Role.SELLER, 1));
    expect(await postSignedWebhook(started.countersign, DEV_SECRETS.UPS)).not.toBe(401);
  });
});
