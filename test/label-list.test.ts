import { SellerLabelsDocument, VoidLabelFullDocument } from './generated/operations';
import { buyLabel, pickOrder } from './support/labels';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;
let seller: string;
let orderId: string;
const liveLabels: string[] = [];
const voidedLabels: string[] = [];

/** 20 labels bought and voided on one order, then a live one: 21 labels, 20 of them void. */
beforeAll(async () => {
  server = await startTestServer();
  seller = server.tokens.seller[0];
  orderId = (await pickOrder(server, seller)).id;
  for (let i = 0; i < 20; i += 1) {
    const { label } = await buyLabel(server, seller, { orderId });
    const res = await server.gql(VoidLabelFullDocument, { input: { labelId: label.id } }, seller);
    expect(res.data?.voidLabel.userErrors).toEqual([]);
    voidedLabels.push(label.id);
  }
  liveLabels.push((await buyLabel(server, seller, { orderId })).label.id);
});
afterAll(() => server.stop());

const list = (
  token: string,
  variables: { first?: number; after?: string; includeVoided?: boolean },
) => server.gql(SellerLabelsDocument, variables, token);

describe('labels', () => {
  it('lists only live labels by default, with their charges', async () => {
    const res = await list(seller, { first: 50 });
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.labels.edges.map((e) => e.node);
    expect(nodes.map((n) => n.id)).toEqual(liveLabels);
    expect(res.data!.labels.totalCount).toBe(1);
    expect(nodes[0].status).toBe('PURCHASED');
    expect(nodes[0].charges.map((c) => c.kind)).toContain('POSTAGE');
  });

  it('includes voided labels, newest first, each with its charges and refunds', async () => {
    const res = await list(seller, { first: 50, includeVoided: true });
    const nodes = res.data!.labels.edges.map((e) => e.node);
    expect(nodes.map((n) => n.id)).toEqual([...liveLabels, ...[...voidedLabels].reverse()]);
    for (const node of nodes.slice(1)) {
      expect(node.status).toBe('VOIDED');
      expect(node.voidedAt).not.toBeNull();
      const cents = node.charges.map((c) => Math.round(Number(c.amount.amount) * 100));
      expect(node.charges.map((c) => c.kind)).toEqual(['POSTAGE', 'REFUND']);
      expect(cents.reduce((a, b) => a + b, 0)).toBe(0);
    }
  });

  it('pages with after, and another seller sees none of them', async () => {
    const first = await list(seller, { first: 5, includeVoided: true });
    const next = await list(seller, {
      first: 5,
      includeVoided: true,
      after: first.data!.labels.pageInfo.endCursor!,
    });
    const ids = [...first.data!.labels.edges, ...next.data!.labels.edges].map((e) => e.node.id);
    expect(new Set(ids).size).toBe(10);
    // (The other seller has labels of its own: the seeded claim history's past deliveries.)
    const other = await list(server.tokens.seller[1], { first: 50, includeVoided: true });
    const theirs = other.data!.labels.edges.map((e) => e.node.id);
    expect(theirs.filter((id) => ids.includes(id) || liveLabels.includes(id))).toEqual([]);
    const buyer = await list(server.tokens.buyer[0], { first: 5 });
    expect(buyer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('costs as many SQL statements for 20 labels with their charges as for 1', async () => {
    const one = await server.sql.measure(() => list(seller, { first: 1, includeVoided: true }));
    const twenty = await server.sql.measure(() => list(seller, { first: 20, includeVoided: true }));
    expect(one.result.data!.labels.edges).toHaveLength(1);
    expect(twenty.result.data!.labels.edges).toHaveLength(20);
    expect(twenty.statements).toBe(one.statements);
    // The token, the page, the charges of the page, the services of the page, the count.
    expect(twenty.statements).toBeLessThanOrEqual(5);
  });
});
