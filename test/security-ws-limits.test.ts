import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { hashToken } from '../src/auth/token-hash';
import { ApiToken } from '../src/entities';
import { Role } from '../src/entities/enums';
import { ShipmentUpdatedDocument } from './generated/operations';
import { carrierEvent, postCarrierEvent } from './support/carrier';
import { createShipment } from './support/shipments';
import type { ShipmentFixture } from './support/shipments';
import { postGraphQL } from './support/security-clients';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';
import { subscribe, wsClient } from './support/ws-client';
import { waitFor } from './support/wait';
import type { LiveSubscription } from './support/ws-client';

/**
 * The WebSocket limits and revocation of open sockets, on servers of their own with low numbers
 * (the other suites run with WS_LIMITS=off). Every test uses tokens of its own, so none depends
 * on what another left open.
 */

const RECHECK_MS = 200;

let limited: TestServer;
let handshakes: TestServer;
let perIp: TestServer;
const open: Array<LiveSubscription<unknown>> = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  [limited, handshakes, perIp] = await Promise.all([
    startTestServer({
      WS_LIMITS: 'on',
      WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '2',
      WS_MAX_SUBSCRIPTIONS_PER_TOKEN: '3',
      WS_MAX_SOCKETS_PER_TOKEN: '2',
      WS_OPERATIONS_PER_SECOND: '5',
      WS_TOKEN_RECHECK_MS: `${RECHECK_MS}`,
    }),
    startTestServer({ RATE_LIMITS: 'on', RATE_LIMIT_IP_PER_MINUTE: '3' }),
    startTestServer({ WS_LIMITS: 'on', WS_MAX_SOCKETS_PER_IP: '2' }),
  ]);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  for (const socket of sockets.splice(0)) socket.terminate();
});
afterAll(() => Promise.all([limited, handshakes, perIp].map((server) => server?.stop())));

/** A token of its own for the buyer of `s`: counts and buckets no other test has touched. */
async function buyerToken(
  server: TestServer,
  s: ShipmentFixture,
): Promise<{ token: string; id: number }> {
  const token = `ws-limit-test-${randomUUID()}`;
  const row = await server.db.transaction(({ manager }) =>
    manager.save(
      manager.create(ApiToken, {
        tokenHash: hashToken(token),
        role: Role.BUYER,
        sellerId: null,
        buyerId: s.buyer.id,
        label: 'ws limit test',
        createdAt: new Date(),
        revokedAt: null,
      }),
    ),
  );
  return { token, id: row.id };
}

/** A client whose subscriptions share one socket. */
function socketOf(server: TestServer, token: string) {
  const client = wsClient(server, token);
  return <T, V extends Record<string, unknown>>(
    document: Parameters<typeof subscribe<T, V>>[1],
    variables: V,
  ) => {
    const sub = subscribe(client, document, variables);
    open.push(sub as LiveSubscription<unknown>);
    return sub;
  };
}

const listeners = (server: TestServer, s: ShipmentFixture) =>
  server.listeners('shipment:changed', s.shipment.id);

/** Opens a raw WebSocket; resolves with the upgrade's HTTP status (101 when it opened). */
function upgrade(server: TestServer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    sockets.push(socket);
    socket.once('open', () => resolve({ status: 101, body: '' }));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe('subscriptions per socket and per token', () => {
  it('refuses the third subscription on a socket with SUBSCRIPTION_LIMIT while the first two still receive events', async () => {
    const s = await createShipment(limited);
    const { token } = await buyerToken(limited, s);
    const on = socketOf(limited, token);
    const first = on(ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    const second = on(ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    await waitFor('two listeners', () => listeners(limited, s) === 2);

    const third = on(ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    const end = await third.ended;
    expect(end.errors?.[0]?.extensions).toMatchObject({
      code: 'SUBSCRIPTION_LIMIT',
      limit: 'SUBSCRIPTIONS_PER_SOCKET',
    });
    expect(listeners(limited, s)).toBe(2);

    await postCarrierEvent(
      limited,
      'USPS',
      carrierEvent(s.trackingNumber, { status: 'OUT_FOR_DELIVERY' }),
    );
    for (const sub of [first, second]) {
      const pushed = await sub.next();
      expect(pushed.errors).toBeUndefined();
      expect(pushed.data?.shipmentUpdated.shipment.status).toBe('OUT_FOR_DELIVERY');
    }
  });

  it('admits another subscription once one on the socket has completed', async () => {
    const s = await createShipment(limited);
    const { token } = await buyerToken(limited, s);
    const client = wsClient(limited, token);
    const variables = { shipmentId: s.shipmentGid };
    const ignore = { next: () => undefined, error: () => undefined, complete: () => undefined };
    const completeFirst = client.subscribe(
      { query: print(ShipmentUpdatedDocument), variables },
      ignore,
    );
    const second = subscribe(client, ShipmentUpdatedDocument, variables);
    open.push(second as LiveSubscription<unknown>);
    await waitFor('two listeners', () => listeners(limited, s) === 2);

    completeFirst(); // a `complete` message; the socket stays open for the second
    await waitFor('the first to complete', () => listeners(limited, s) === 1);
    const third = subscribe(client, ShipmentUpdatedDocument, variables);
    open.push(third as LiveSubscription<unknown>);
    await waitFor('the third to listen', () => listeners(limited, s) === 2);
    await postCarrierEvent(
      limited,
      'USPS',
      carrierEvent(s.trackingNumber, { status: 'OUT_FOR_DELIVERY' }),
    );
    expect((await third.next()).data?.shipmentUpdated.shipment.status).toBe('OUT_FOR_DELIVERY');
  });

  it("refuses a token's fourth subscription across its sockets with SUBSCRIPTION_LIMIT", async () => {
    const s = await createShipment(limited);
    const { token } = await buyerToken(limited, s);
    const one = socketOf(limited, token);
    const two = socketOf(limited, token);
    one(ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    one(ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    two(ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    await waitFor('three listeners', () => listeners(limited, s) === 3);

    const fourth = two(ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    expect((await fourth.ended).errors?.[0]?.extensions).toMatchObject({
      code: 'SUBSCRIPTION_LIMIT',
      limit: 'SUBSCRIPTIONS_PER_TOKEN',
    });
    expect(listeners(limited, s)).toBe(3);
  });
});

describe('sockets per token', () => {
  it("closes the token's third socket with 4429 and leaves the first two open", async () => {
    const s = await createShipment(limited);
    const { token } = await buyerToken(limited, s);
    const first = socketOf(limited, token)(ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    const second = socketOf(limited, token)(ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    await waitFor('two listeners', () => listeners(limited, s) === 2);

    const third = socketOf(limited, token)(ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    expect((await third.ended).closeCode).toBe(4429);

    await postCarrierEvent(
      limited,
      'USPS',
      carrierEvent(s.trackingNumber, { status: 'OUT_FOR_DELIVERY' }),
    );
    expect((await first.next()).data?.shipmentUpdated.shipment.status).toBe('OUT_FOR_DELIVERY');
    expect((await second.next()).data?.shipmentUpdated.shipment.status).toBe('OUT_FOR_DELIVERY');
  });
});

describe('operations per socket per second', () => {
  it("refuses a flooding socket's operations with RATE_LIMITED while another client's HTTP query answers", async () => {
    const s = await createShipment(limited);
    const { token } = await buyerToken(limited, s);
    const client = createClient({
      url: limited.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    const FLOOD = 300;
    let answered = 0;
    const refusals: Array<Record<string, unknown> | undefined> = [];
    const done = new Promise<void>((resolve, reject) => {
      let left = FLOOD;
      const settle = () => (--left === 0 ? resolve() : undefined);
      for (let i = 0; i < FLOOD; i += 1) {
        client.subscribe(
          { query: '{ __typename }' },
          {
            next: () => (answered += 1),
            error: (error: unknown) => {
              if (!Array.isArray(error)) return reject(new Error('the socket closed'));
              refusals.push(
                (error as Array<{ extensions?: Record<string, unknown> }>)[0]?.extensions,
              );
              settle();
            },
            complete: settle,
          },
        );
      }
    });
    // Meanwhile another client's HTTP query is answered.
    const started = Date.now();
    const other = await postGraphQL(limited, '{ viewer { role } }', {}, limited.tokens.seller[1]);
    expect(other.status).toBe(200);
    expect(other.data).toEqual({ viewer: { role: 'SELLER' } });
    expect(Date.now() - started).toBeLessThan(2000);

    await done;
    await client.dispose();
    // At most a second's worth (two windows if the flood straddles one) got through.
    expect(answered).toBeLessThanOrEqual(10);
    expect(refusals.length).toBe(FLOOD - answered);
    expect(refusals[0]).toMatchObject({ code: 'RATE_LIMITED', limit: 'OPERATIONS' });
  });
});

describe('handshakes', () => {
  it('refuses upgrades beyond the per-IP rate limit with HTTP 429 and RATE_LIMITED', async () => {
    const statuses: number[] = [];
    let refusedBody = '';
    for (let i = 0; i < 4; i += 1) {
      const { status, body } = await upgrade(handshakes);
      statuses.push(status);
      if (status === 429) refusedBody = body;
    }
    expect(statuses).toEqual([101, 101, 101, 429]);
    expect(JSON.parse(refusedBody)).toMatchObject({
      errors: [{ extensions: { code: 'RATE_LIMITED', limit: 'IP' } }],
    });
    // The handshakes spent the same bucket as HTTP requests.
    expect((await postGraphQL(handshakes, '{ __typename }')).status).toBe(429);
  });

  it('refuses an upgrade beyond the open sockets per IP with HTTP 429', async () => {
    expect((await upgrade(perIp)).status).toBe(101);
    expect((await upgrade(perIp)).status).toBe(101);
    const refused = await upgrade(perIp);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({
      errors: [{ extensions: { code: 'RATE_LIMITED', limit: 'SOCKETS_PER_IP' } }],
    });
    // A closed socket gives its place back (once the server has seen it close).
    for (const socket of sockets.splice(0)) socket.terminate();
    const deadline = Date.now() + 5000;
    let again = await upgrade(perIp);
    while (again.status === 429 && Date.now() < deadline) again = await upgrade(perIp);
    expect(again.status).toBe(101);
  });
});

describe('a token revoked while its subscription is open', () => {
  it(`closes the socket with 4403 within the re-check interval (${RECHECK_MS} ms)`, async () => {
    const s = await createShipment(limited);
    const { token, id } = await buyerToken(limited, s);
    const sub = socketOf(limited, token)(ShipmentUpdatedDocument, { shipmentId: s.shipmentGid });
    await waitFor('the listener', () => listeners(limited, s) === 1);

    await limited.db.transaction(({ manager }) =>
      manager.update(ApiToken, { id }, { revokedAt: new Date() }),
    );
    const revokedAt = Date.now();
    expect((await sub.ended).closeCode).toBe(4403);
    // One interval, plus the read and the close frame.
    expect(Date.now() - revokedAt).toBeLessThan(RECHECK_MS + 1000);
    await waitFor('the listener to be dropped', () => listeners(limited, s) === 0);
  });
});
