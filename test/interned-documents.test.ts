import { parse, print } from 'graphql';
import { InternedDocuments } from '../src/graphql/shared-subscribe';

/**
 * Subscriptions with equal texts share one document (and one number in their sharing key); what
 * is kept is bounded, since any client can subscribe with texts of its own.
 */
describe('interned subscription documents', () => {
  const text = (n: number) => `subscription S${n} { shipmentUpdated(shipmentId: "${n}") { id } }`;

  it('gives equal texts, parsed apart, one document and one number', () => {
    const documents = new InternedDocuments();
    const first = documents.intern(parse(text(1)));
    const again = documents.intern(parse(text(1)));
    expect(again).toBe(first);
    expect(documents.intern(parse(text(2))).id).not.toBe(first.id);
  });

  it('forgets the least recently used text beyond its total length, and numbers it anew', () => {
    // Texts are kept as printed; room for two of these, not three.
    const length = print(parse(text(1))).length;
    const documents = new InternedDocuments(500, length * 2 + 10);
    const one = documents.intern(parse(text(1)));
    const two = documents.intern(parse(text(2)));
    expect(documents.intern(parse(text(1))).id).toBe(one.id); // now the most recent
    documents.intern(parse(text(3))); // pushes out text 2
    expect(documents.intern(parse(text(1))).id).toBe(one.id);
    const twoAgain = documents.intern(parse(text(2)));
    expect(twoAgain.id).not.toBe(two.id);
    expect(twoAgain.id).toBeGreaterThan(two.id);
  });

  it('forgets beyond its number of texts', () => {
    const documents = new InternedDocuments(2);
    const one = documents.intern(parse(text(1)));
    documents.intern(parse(text(2)));
    documents.intern(parse(text(3)));
    expect(documents.intern(parse(text(1))).id).not.toBe(one.id);
  });
});
