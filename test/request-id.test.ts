import { Writable } from 'node:stream';
import { print } from 'graphql';
import type { DocumentNode } from 'graphql';
import { Notification, WebhookDelivery } from '../src/entities';
import { fromGlobalId } from '../src/core/global-id';
import {
  CreateWebhookEndpointDocument,
  ViewerDocument,
  VoidLabelDocument,
} from './generated/operations';
import { buyLabel, pickOrder } from './support/labels';
import type { GraphQLClient } from './support/labels';
import { acceptCurrentTerms } from './support/seller-flow';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/**
 * Request ids and request logs: the id a client sends (when sane) or one made up is echoed in
 * X-Request-Id, written on the request's log line (pino, through the same logDestination door
 * production uses) and on the outbox and webhook rows the request caused.
 */

const logged: Array<Record<string, unknown>> = [];
const destination = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      logged.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  },
});

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(
    // Loopback webhook endpoints are allowed here; no worker runs, so nothing is sent.
    { LOG_LEVEL: 'info', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
    { logDestination: destination },
  );
});
afterAll(() => server.stop());

/** POSTs a document with the given extra headers; returns the response and its JSON. */
async function post(document: DocumentNode, variables: unknown, headers: Record<string, string>) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { res, body: (await res.json()) as { data?: unknown; errors?: unknown[] } };
}

/** A client that names every request it sends with `requestId`. */
const namedClient = (requestId: string): GraphQLClient => ({
  gql: (async (document: DocumentNode, variables: unknown, token?: string | null) =>
    (
      await post(document, variables, {
        'x-request-id': requestId,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      })
    ).body) as GraphQLClient['gql'],
});

const linesOf = (requestId: string) => logged.filter((line) => line.requestId === requestId);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('X-Request-Id', () => {
  it("echoes the client's id and writes one log line for the request under it", async () => {
    const token = server.tokens.seller[0];
    const { res } = await post(
      ViewerDocument,
      {},
      {
        'x-request-id': 'ticket-4711.a',
        authorization: `Bearer ${token}`,
      },
    );
    expect(res.headers.get('x-request-id')).toBe('ticket-4711.a');
    const lines = linesOf('ticket-4711.a').filter((l) => l.msg === 'graphql request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      operationName: 'Viewer',
      outcome: 'ok',
      cost: expect.any(Number),
      responseTime: expect.any(Number),
      res: { statusCode: 200 },
    });
    // The token never reaches a log line.
    expect(JSON.stringify(logged)).not.toContain(token);
  });

  it('makes up an id when the client sends none, and logs the outcome code', async () => {
    const { res } = await post(ViewerDocument, {}, {});
    const id = res.headers.get('x-request-id') ?? '';
    expect(id).toMatch(UUID);
    expect(linesOf(id)[0]).toMatchObject({ operationName: 'Viewer', outcome: 'UNAUTHENTICATED' });
  });

  it.each([
    ['too long', 'a'.repeat(65)],
    ['with spaces and quotes', 'x" injected="1'],
    ['with a line break', 'abc%0d%0aevil'],
    ['not ASCII', 'caf\u00e9'],
  ])('replaces a hostile id (%s) with one of its own', async (_name, hostile) => {
    const { res } = await post(ViewerDocument, {}, { 'x-request-id': hostile });
    const id = res.headers.get('x-request-id') ?? '';
    expect(id).toMatch(UUID);
    expect(linesOf(id)).toHaveLength(1);
    expect(JSON.stringify(logged)).not.toContain(hostile);
  });
});

describe('rows a request caused', () => {
  it('carry its id: the outbox notification and the webhook deliveries of a purchase', async () => {
    const token = server.tokens.seller[0];
    await acceptCurrentTerms(server, token);
    const endpoint = await server.gql(
      CreateWebhookEndpointDocument,
      {
        input: {
          url: 'http://127.0.0.1:9/request-id',
          events: ['label.purchased', 'label.voided'],
        },
      },
      token,
    );
    expect(endpoint.data?.createWebhookEndpoint.userErrors).toEqual([]);
    const order = await pickOrder(server, token);
    const { label } = await buyLabel(namedClient('purchase-req-1'), token, {
      orderId: order.id,
      signatureOption: 'SIGNATURE_REQUIRED',
    });
    const orderId = fromGlobalId(order.id, 'Order');
    const notifications = await server.db.manager.findBy(Notification, { orderId });
    expect(notifications.map((n) => n.requestId)).toEqual(['purchase-req-1']);
    const deliveries = await server.db.manager.find(WebhookDelivery, {
      where: { event: 'label.purchased' },
    });
    const ours = deliveries.filter((d) => d.payload.includes(label.id));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((d) => d.requestId === 'purchase-req-1')).toBe(true);

    // Voiding it: the label.voided deliveries carry the void's request id.
    const voided = await namedClient('void-req-1').gql(
      VoidLabelDocument,
      { labelId: label.id },
      token,
    );
    expect(voided.data?.voidLabel.userErrors).toEqual([]);
    const voids = await server.db.manager.find(WebhookDelivery, {
      where: { event: 'label.voided' },
    });
    const ourVoids = voids.filter((d) => d.payload.includes(label.id));
    expect(ourVoids.length).toBeGreaterThan(0);
    expect(ourVoids.every((d) => d.requestId === 'void-req-1')).toBe(true);
  });

  it('carry it into the error lines written while serving the request', async () => {
    const token = server.tokens.seller[0];
    jest.spyOn(server.carriers, 'purchase').mockRejectedValueOnce(new Error('carrier down'));
    const order = await pickOrder(server, token);
    await expect(
      buyLabel(namedClient('failing-req-1'), token, { orderId: order.id }),
    ).rejects.toThrow();
    const warned = linesOf('failing-req-1').filter((l) => l.msg === 'carrier purchase failed');
    expect(warned).toHaveLength(1);
    expect(warned[0].level).toBe('warn');
  });

  it("name it on a failed carrier void's line", async () => {
    const token = server.tokens.seller[0];
    const order = await pickOrder(server, token);
    const { label } = await buyLabel(server, token, { orderId: order.id });
    jest.spyOn(server.carriers, 'void').mockRejectedValueOnce(new Error('carrier down'));
    await namedClient('void-fail-1').gql(VoidLabelDocument, { labelId: label.id }, token);
    const warned = linesOf('void-fail-1').filter((l) => l.msg === 'carrier void failed');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ level: 'warn', error: expect.stringContaining('down') });
  });
});
