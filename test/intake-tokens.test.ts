import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { parseGlobalId, toGlobalId } from '../src/core/global-id';
import { hashToken } from '../src/auth/token-hash';
import { tokenCommand } from '../src/cli/token-command';
import { ApiToken } from '../src/entities';
import {
  ApiTokensDocument,
  CreateApiTokenDocument,
  RevokeApiTokenDocument,
  SellerShipmentFeedDocument,
  ViewerDocument,
} from './generated/operations';
import { subscribe, wsClient } from './support/ws-client';
import { waitFor } from './support/wait';
import { createPgSchema, dropPgSchema, uniqueSchemaName } from '../src/db/pg-schema';
import { testDatabaseUrl } from './support/test-stores';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

const ROOT = path.join(__dirname, '..');

/** Runs the token command in-process against `url`; what it printed, and its exit status. */
async function token(url: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await tokenCommand(
    argv,
    { DATABASE_URL: url, NODE_ENV: 'production' },
    {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    },
  );
  return { status, out, err };
}

/** The secret line of `create`'s output. */
const secretOf = (out: string[]) => out.find((line) => line.startsWith('cs_live_')) ?? '';

describe('npm run token (SQLite)', () => {
  let dir: string;
  let url: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-token-'));
    url = `sqlite:${path.join(dir, 'prod.sqlite')}`;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('migrates an empty database, prints an admin token once and stores only its hash', async () => {
    const created = await token(url, 'create', '--role', 'ADMIN', '--name', 'First admin');
    expect(created).toMatchObject({ status: 0, err: [] });
    const secret = secretOf(created.out);
    expect(secret).toMatch(/^cs_live_admin_[A-Za-z0-9_-]{43}$/);

    const ds = new DataSource({ type: 'sqlite', database: path.join(dir, 'prod.sqlite') });
    await ds.initialize();
    try {
      const rows = (await ds.query('SELECT * FROM api_tokens')) as Record<string, unknown>[];
      expect(rows).toEqual([
        expect.objectContaining({ role: 'ADMIN', label: 'First admin', revokedAt: null }),
      ]);
      expect(rows[0].tokenHash).toBe(hashToken(secret));
      expect(JSON.stringify(rows)).not.toContain(secret);
    } finally {
      await ds.destroy();
    }
  });

  it('lists tokens without secrets or hashes, and revokes one by id', async () => {
    const created = await token(url, 'create', '--role', 'PLATFORM', '--name', 'Shop sync');
    const secret = secretOf(created.out);
    const listed = await token(url, 'list');
    expect(listed.status).toBe(0);
    expect(listed.out[0]).toBe('id\trole\tname\towner\tcreated\tstatus');
    expect(listed.out.slice(1).map((l) => l.split('\t').slice(0, 4))).toEqual([
      ['2', 'PLATFORM', '"Shop sync"', '-'],
      ['1', 'ADMIN', '"First admin"', '-'],
    ]);
    expect(listed.out.join('\n')).not.toContain(secret);
    expect(listed.out.join('\n')).not.toContain(hashToken(secret));

    const revoked = await token(url, 'revoke', toGlobalId('ApiToken', 2));
    expect(revoked.status).toBe(0);
    expect((await token(url, 'list')).out[1]).toMatch(/^2\tPLATFORM\t.*\trevoked 20\d\d-/);
  });

  it.each([
    [['create', '--role', 'BOSS', '--name', 'x'], 1, /^token: INVALID_ROLE: unknown role "BOSS"/],
    [['create', '--role', 'ADMIN'], 2, /^token: USAGE: --name is required/],
    [['create', '--role', 'ADMIN', '--name', '  '], 1, /^token: INVALID_INPUT: .*\(--name\)$/],
    [['create', '--role', 'SELLER', '--name', 's'], 1, /^token: INVALID_INPUT: .*\(--seller\)$/],
    [
      ['create', '--role', 'SELLER', '--seller', '77', '--name', 's'],
      1,
      /^token: SELLER_NOT_FOUND: No seller has this id\. \(--seller\)$/,
    ],
    [
      ['create', '--role', 'BUYER', '--buyer', toGlobalId('Buyer', 5), '--name', 'b'],
      1,
      /^token: BUYER_NOT_FOUND: /,
    ],
    [['create', '--role', 'SELLER', '--seller', 'nope', '--name', 's'], 1, /^token: INVALID_ID: /],
    [['create', '--role', 'ADMIN', '--name', 'a', '--seller', '1'], 1, /^token: INVALID_INPUT: /],
    [['create', '--role', 'ADMIN', '--name', 'a', '--color', 'red'], 2, /^token: USAGE: /],
    [['revoke', '999'], 1, /^token: API_TOKEN_NOT_FOUND: /],
    [['revoke'], 2, /^token: USAGE: revoke takes one id/],
    [['frobnicate'], 2, /^token: USAGE: unknown command "frobnicate"/],
  ])('%j fails with one coded line and status %i, writing nothing', async (argv, status, line) => {
    const before = (await token(url, 'list')).out.length;
    const result = await token(url, ...argv);
    expect(result.status).toBe(status);
    expect(result.out).toEqual([]);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(line);
    expect(result.err[0]).not.toMatch(/\n|\s+at /);
    expect((await token(url, 'list')).out.length).toBe(before);
  });

  it('runs as a process with production settings and no server secrets', () => {
    const register = path.join(ROOT, 'test/scaleout/child/ts-register.js');
    const run = (...argv: string[]) =>
      spawnSync(process.execPath, ['-r', register, path.join(ROOT, 'src/cli/token.ts'), ...argv], {
        cwd: ROOT,
        // Production as a deployment runs it: no COUNTERSIGN_DEV, no carrier or document secrets.
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATABASE_URL: url },
        encoding: 'utf8',
        timeout: 90_000,
      });
    const created = run('create', '--role', 'ADMIN', '--name', 'From a shell');
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/\ncs_live_admin_\S{43}\n$/);
    const refused = run('create', '--role', 'root', '--name', 'x');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      'token: INVALID_ROLE: unknown role "root"; one of SELLER, BUYER, ADMIN, PLATFORM\n',
    );
  }, 120_000);
});

const pgUrl = testDatabaseUrl();

// Runs under `npm run test:pg` (TEST_DATABASE_URL); the plain suite has no PostgreSQL.
(pgUrl ? describe : describe.skip)('npm run token (PostgreSQL)', () => {
  const schema = uniqueSchemaName('cs_token');
  // The schema as an operator would pick one: libpq's `options` in DATABASE_URL.
  const url = () => `${pgUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;

  beforeAll(() => createPgSchema(pgUrl!, schema));
  afterAll(() => dropPgSchema(pgUrl!, schema));

  it('migrates the empty schema, issues, lists and revokes', async () => {
    const created = await token(url(), 'create', '--role', 'ADMIN', '--name', 'PG admin');
    expect(created).toMatchObject({ status: 0, err: [] });
    expect(secretOf(created.out)).toMatch(/^cs_live_admin_/);
    expect((await token(url(), 'revoke', '1')).status).toBe(0);
    const listed = await token(url(), 'list');
    expect(listed.out.slice(1)).toEqual([
      expect.stringMatching(/^1\tADMIN\t"PG admin"\t-\t.*\trevoked /),
    ]);
    const unknown = await token(
      url(),
      'create',
      '--role',
      'SELLER',
      '--seller',
      '3',
      '--name',
      's',
    );
    expect(unknown.err).toEqual(['token: SELLER_NOT_FOUND: No seller has this id. (--seller)']);
  });
});

describe('createApiToken / revokeApiToken', () => {
  let server: TestServer;
  let sellerGid: string;
  let buyerGid: string;

  beforeAll(async () => {
    // Open sockets re-read their tokens every 200 ms here (default 5 s).
    server = await startTestServer({ WS_TOKEN_RECHECK_MS: '200' });
    const seller = await server.gql(ViewerDocument, {}, server.tokens.seller[0]);
    const buyer = await server.gql(ViewerDocument, {}, server.tokens.buyer[0]);
    sellerGid = seller.data!.viewer.seller!.id;
    buyerGid = buyer.data!.viewer.buyer!.id;
  });
  afterAll(() => server.stop());

  const create = (input: Record<string, unknown>, as: string) =>
    server.gql(
      CreateApiTokenDocument,
      { input: { role: 'ADMIN', name: 'x', ...input } as never },
      as,
    );

  it('lets staff issue every role; the secret authenticates as what was asked, once shown', async () => {
    const cases = [
      { role: 'ADMIN' },
      { role: 'PLATFORM' },
      { role: 'SELLER', sellerId: sellerGid },
      { role: 'BUYER', buyerId: buyerGid },
    ];
    for (const input of cases) {
      const res = await create({ ...input, name: `${input.role} token` }, server.tokens.admin);
      const made = res.data!.createApiToken;
      expect(made.userErrors).toEqual([]);
      expect(made.token).toMatchObject({ role: input.role, name: `${input.role} token` });
      expect(made.secret).toMatch(new RegExp(`^cs_live_${input.role.toLowerCase()}_`));
      const viewer = (await server.gql(ViewerDocument, {}, made.secret)).data!.viewer;
      expect(viewer.role).toBe(input.role);
      expect(viewer.seller?.id ?? null).toBe(input.sellerId ?? null);
      expect(viewer.buyer?.id ?? null).toBe(input.buyerId ?? null);
    }
    const stored = await server.db.manager.find(ApiToken);
    expect(JSON.stringify(stored)).not.toMatch(/cs_live_/);
  });

  it('lets a platform integration issue SELLER and BUYER tokens only', async () => {
    const platform = server.tokens.platform;
    const seller = await create({ role: 'SELLER', sellerId: sellerGid }, platform);
    expect(seller.data!.createApiToken.userErrors).toEqual([]);
    const buyer = await create({ role: 'BUYER', buyerId: buyerGid }, platform);
    expect(buyer.data!.createApiToken.userErrors).toEqual([]);
    for (const role of ['ADMIN', 'PLATFORM']) {
      const res = await create({ role }, platform);
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('refuses sellers, buyers and anonymous callers', async () => {
    for (const as of [server.tokens.seller[0], server.tokens.buyer[0]]) {
      const res = await create({ role: 'SELLER', sellerId: sellerGid }, as);
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await server.gql(CreateApiTokenDocument, {
      input: { role: 'ADMIN', name: 'x' },
    });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    [{ role: 'SELLER' }, 'INVALID_INPUT', 'sellerId'],
    [{ role: 'SELLER', sellerId: toGlobalId('Seller', 999) }, 'SELLER_NOT_FOUND', 'sellerId'],
    [{ role: 'SELLER', sellerId: toGlobalId('Buyer', 1) }, 'INVALID_ID', 'sellerId'],
    [{ role: 'BUYER', buyerId: toGlobalId('Buyer', 999) }, 'BUYER_NOT_FOUND', 'buyerId'],
    [{ role: 'BUYER' }, 'INVALID_INPUT', 'buyerId'],
    [{ role: 'ADMIN', buyerId: toGlobalId('Buyer', 1) }, 'INVALID_INPUT', 'buyerId'],
    [{ role: 'ADMIN', name: '' }, 'INVALID_INPUT', 'name'],
    [{ role: 'ADMIN', name: 'n'.repeat(121) }, 'INVALID_INPUT', 'name'],
    [{ role: 'ADMIN', name: 'tab\there' }, 'INVALID_INPUT', 'name'],
  ])('%j is a user error %s at input.%s, nothing issued', async (input, code, field) => {
    const before = await server.db.manager.count(ApiToken);
    const res = await create(input, server.tokens.admin);
    expect(res.data!.createApiToken).toMatchObject({
      token: null,
      secret: null,
      userErrors: [{ code, field: ['input', field] }],
    });
    expect(await server.db.manager.count(ApiToken)).toBe(before);
  });

  it('revokes a token: its next request is UNAUTHENTICATED, a repeat changes nothing', async () => {
    const made = (await create({ role: 'PLATFORM', name: 'to revoke' }, server.tokens.admin)).data!
      .createApiToken;
    expect((await server.gql(ViewerDocument, {}, made.secret)).data?.viewer.role).toBe('PLATFORM');
    const revoked = await server.gql(
      RevokeApiTokenDocument,
      { input: { id: made.token!.id } },
      server.tokens.admin,
    );
    expect(revoked.data!.revokeApiToken.userErrors).toEqual([]);
    const revokedAt = revoked.data!.revokeApiToken.token!.revokedAt;
    expect(revokedAt).not.toBeNull();
    const after = await server.gql(ViewerDocument, {}, made.secret);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const again = await server.gql(
      RevokeApiTokenDocument,
      { input: { id: made.token!.id } },
      server.tokens.admin,
    );
    expect(again.data!.revokeApiToken.token!.revokedAt).toBe(revokedAt);
  });

  it("closes a revoked token's open subscription with 4403", async () => {
    const made = (await create({ role: 'SELLER', sellerId: sellerGid }, server.tokens.admin)).data!
      .createApiToken;
    const sellerId = parseGlobalId(sellerGid)!.id;
    const before = server.listeners('seller:shipments', sellerId);
    const sub = subscribe(wsClient(server, made.secret), SellerShipmentFeedDocument, {});
    await waitFor(
      'the feed to listen',
      () => server.listeners('seller:shipments', sellerId) > before,
    );
    const revoked = await server.gql(
      RevokeApiTokenDocument,
      { input: { id: made.token!.id } },
      server.tokens.platform,
    );
    expect(revoked.data!.revokeApiToken.userErrors).toEqual([]);
    expect((await sub.ended).closeCode).toBe(4403);
    await sub.close();
  });

  it('lets a platform integration revoke seller and buyer tokens, not staff ones', async () => {
    const platform = server.tokens.platform;
    const sellerToken = (await create({ role: 'SELLER', sellerId: sellerGid }, platform)).data!
      .createApiToken.token!;
    const ok = await server.gql(
      RevokeApiTokenDocument,
      { input: { id: sellerToken.id } },
      platform,
    );
    expect(ok.data!.revokeApiToken.userErrors).toEqual([]);
    const admin = (await create({ role: 'ADMIN' }, server.tokens.admin)).data!.createApiToken
      .token!;
    const refused = await server.gql(RevokeApiTokenDocument, { input: { id: admin.id } }, platform);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stored = await server.db.manager.findOneByOrFail(ApiToken, {
      id: parseGlobalId(admin.id)!.id,
    });
    expect(stored.revokedAt).toBeNull();
  });

  it('reports an unknown or malformed token id as a user error', async () => {
    for (const [id, code] of [
      [toGlobalId('ApiToken', 99999), 'API_TOKEN_NOT_FOUND'],
      ['garbage', 'INVALID_ID'],
    ]) {
      const res = await server.gql(RevokeApiTokenDocument, { input: { id } }, server.tokens.admin);
      expect(res.data!.revokeApiToken.userErrors).toEqual([
        expect.objectContaining({ code, field: ['input', 'id'] }),
      ]);
    }
  });

  it('lists tokens to staff only, newest first, without secrets', async () => {
    const listed = await server.gql(ApiTokensDocument, { first: 3 }, server.tokens.admin);
    const edges = listed.data!.apiTokens.edges;
    expect(edges).toHaveLength(3);
    expect(listed.data!.apiTokens.pageInfo.hasNextPage).toBe(true);
    const times = edges.map((e) => e.node.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(JSON.stringify(listed)).not.toMatch(/cs_(live|dev)_/);
    for (const as of [server.tokens.platform, server.tokens.seller[0]]) {
      const res = await server.gql(ApiTokensDocument, { first: 3 }, as);
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('reads a page of tokens with their sellers and buyers in a fixed number of statements', async () => {
    const large = await server.sql.measure(() =>
      server.gql(ApiTokensDocument, { first: 40 }, server.tokens.admin),
    );
    expect(large.result.data!.apiTokens.edges.length).toBeGreaterThan(30);
    const owners = large.result.data!.apiTokens.edges.filter((e) => e.node.seller || e.node.buyer);
    expect(owners.length).toBeGreaterThan(10);
    // The caller's token, the page, its sellers, its buyers: one statement each, not one per row.
    expect(large.statements).toBe(4);
  });
});
