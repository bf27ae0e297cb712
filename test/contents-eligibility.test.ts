import { LineItem, Order } from '../src/entities';
import { OrderStatus } from '../src/entities/enums';
import { toGlobalId } from '../src/core/global-id';
import {
  CONTENTS_RULES,
  CONTENTS_RULES_VERSION,
  ItemClass,
  classOf,
  eligibility,
} from '../src/core/contents-eligibility';
import { pickRate, purchase, quoteOrder } from './support/labels';
import { acceptCurrentTerms } from './support/seller-flow';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await Promise.all(server.tokens.seller.map((token) => acceptCurrentTerms(server, token)));
});
afterAll(() => server.stop());

/** The global id of the first order awaiting shipment whose items all pass `test`. */
async function orderWhere(
  sellerIndex: number,
  test: (items: LineItem[]) => boolean,
): Promise<string> {
  const m = server.db.manager;
  const orders = await m.find(Order, {
    where: { status: OrderStatus.AWAITING_SHIPMENT },
    order: { id: 'ASC' },
  });
  const sellerIds = [...new Set(orders.map((o) => o.sellerId))].sort((a, b) => a - b);
  for (const order of orders.filter((o) => o.sellerId === sellerIds[sellerIndex])) {
    const items = await m.find(LineItem, { where: { orderId: order.id } });
    if (test(items)) return toGlobalId('Order', order.id);
  }
  throw new Error('no such order');
}

const usps = { carrier: 'USPS', name: 'USPS Ground Advantage', adultSignature: true };
const media = {
  carrier: 'USPS',
  code: 'USPS_MEDIA_MAIL',
  name: 'Media Mail',
  adultSignature: false,
};
const item = (category: string, ageRestricted = false) => ({ category, ageRestricted });

describe('the contents rule table', () => {
  it('is versioned and cites a public source for every rule', () => {
    expect(CONTENTS_RULES_VERSION).toMatch(/^\d{4}-\d{2}\.\d+$/);
    for (const rule of CONTENTS_RULES) {
      expect(rule.sources.length).toBeGreaterThan(0);
      for (const source of rule.sources) expect(source).toMatch(/https:\/\//);
    }
  });

  it('classes categories case-insensitively, anything unknown as GENERAL', () => {
    expect(classOf('Books')).toBe(ItemClass.MEDIA);
    expect(classOf('wine')).toBe(ItemClass.ALCOHOL);
    expect(classOf('vape')).toBe(ItemClass.VAPE);
    expect(classOf('garden gnomes')).toBe(ItemClass.GENERAL);
  });

  it('keeps USPS from alcohol and vapes but lets cigars go with an adult signature', () => {
    const ga = { ...usps, code: 'USPS_GROUND_ADVANTAGE' };
    expect(eligibility(ga, [item('wine', true)])).toMatchObject({ ruleId: 'USPS_NO_ALCOHOL' });
    expect(eligibility(ga, [item('vape', true)]).ruleId).toBe('USPS_NO_ENDS_OR_CIGARETTES');
    expect(eligibility(ga, [item('tobacco', true)]).eligible).toBe(true);
    const ups = { carrier: 'UPS', code: 'UPS_GROUND', name: 'UPS Ground', adultSignature: true };
    expect(eligibility(ups, [item('wine', true)]).eligible).toBe(true);
    expect(eligibility(ups, [item('vape', true)]).ruleId).toBe('UPS_NO_VAPES');
  });

  it('lets Media Mail carry only media, and age-restricted goods only with an adult signature', () => {
    expect(eligibility(media, [item('books'), item('music')]).eligible).toBe(true);
    expect(eligibility(media, [item('books'), item('electronics')]).ruleId).toBe(
      'MEDIA_MAIL_MEDIA_ONLY',
    );
    const saver = {
      carrier: 'UPS',
      code: 'UPS_GROUND_SAVER',
      name: 'Saver',
      adultSignature: false,
    };
    expect(eligibility(saver, [item('home', true)]).ruleId).toBe(
      'AGE_RESTRICTED_NEEDS_ADULT_SIGNATURE',
    );
    expect(eligibility(saver, [item('home')]).eligible).toBe(true);
  });
});

describe('quotes and purchases by contents', () => {
  it('offers a wine order no purchasable USPS rate and refuses one with CONTENTS_NOT_ELIGIBLE', async () => {
    const wine = server.tokens.seller[1];
    const orderId = await orderWhere(1, (items) => items.every((i) => i.category === 'wine'));
    const quote = await quoteOrder(server, wine, orderId);
    const uspsRates = quote.rates.filter((r) => r.carrier === 'USPS');
    expect(uspsRates.length).toBeGreaterThan(0);
    for (const rate of uspsRates) {
      expect(rate.eligible).toBe(false);
      expect(rate.ineligibleReason).toMatch(/USPS does not carry alcohol/);
      expect(rate.options.some((o) => o.isRecommended)).toBe(false);
    }
    expect(quote.rates.filter((r) => r.eligible).map((r) => r.carrier)).not.toContain('USPS');
    expect(pickRate(quote).carrier).toBe('UPS');
    const res = await purchase(server, wine, {
      quoteId: quote.id,
      rateId: pickRate(quote, { service: 'USPS_GROUND_ADVANTAGE' }).id,
      signatureOption: 'ADULT_SIGNATURE_REQUIRED',
      idempotencyKey: 'wine-by-usps',
    });
    expect(res.data?.purchaseLabel.label).toBeNull();
    expect(res.data?.purchaseLabel.userErrors).toEqual([
      expect.objectContaining({ code: 'CONTENTS_NOT_ELIGIBLE', field: ['input', 'rateId'] }),
    ]);
  });

  it("never lists Media Mail among a laptop's SIGNATURE_NOT_SUPPORTED alternatives", async () => {
    const seller = server.tokens.seller[0];
    const orderId = await orderWhere(0, (items) => items.some((i) => i.sku === 'HP-LTP-14PRO'));
    const quote = await quoteOrder(server, seller, orderId);
    const mediaRate = pickRate(quote, { service: 'USPS_MEDIA_MAIL' });
    expect(mediaRate).toMatchObject({ eligible: false });
    expect(mediaRate.ineligibleReason).toMatch(/computers, electronics/);
    const res = await purchase(server, seller, {
      quoteId: quote.id,
      rateId: pickRate(quote, { service: 'UPS_GROUND_SAVER' }).id,
      signatureOption: 'SIGNATURE_REQUIRED',
      idempotencyKey: 'laptop-saver-signature',
    });
    const error = res.data!.purchaseLabel.userErrors[0];
    expect(error.code).toBe('SIGNATURE_NOT_SUPPORTED');
    const codes = error.alternatives!.map((a) => a.service.code);
    expect(codes).toContain('USPS_GROUND_ADVANTAGE');
    expect(codes).not.toContain('USPS_MEDIA_MAIL');
    expect(error.message).not.toContain('USPS_MEDIA_MAIL');
  });

  it('lets a book order go by Media Mail', async () => {
    const curio = server.tokens.seller[2];
    const orderId = await orderWhere(2, (items) => items.every((i) => i.category === 'books'));
    const quote = await quoteOrder(server, curio, orderId);
    const rate = pickRate(quote, { service: 'USPS_MEDIA_MAIL' });
    expect(rate).toMatchObject({ eligible: true, ineligibleReason: null });
    const res = await purchase(server, curio, {
      quoteId: quote.id,
      rateId: rate.id,
      signatureOption: 'SIGNATURE_REQUIRED',
      idempotencyKey: 'books-media-mail',
    });
    expect(res.data?.purchaseLabel.userErrors).toEqual([]);
    expect(res.data?.purchaseLabel.label?.service.code).toBe('USPS_MEDIA_MAIL');
  });

  it('never marks an option that cannot be bought as recommended', async () => {
    const curio = server.tokens.seller[2];
    const orderId = await orderWhere(2, (items) => items.some((i) => i.category === 'tobacco'));
    const quote = await quoteOrder(server, curio, orderId);
    expect(quote.recommendedSignature).toBe('ADULT_SIGNATURE_REQUIRED');
    const recommended = quote.rates.flatMap((r) =>
      r.options.filter((o) => o.isRecommended).map((o) => ({ rate: r, option: o })),
    );
    expect(recommended.length).toBeGreaterThan(0);
    for (const { rate, option } of recommended) {
      expect(rate.eligible).toBe(true);
      expect(option.supported).toBe(true);
    }
    // Media Mail offers no adult signature: its ADULT option is the recommendation, unbuyable.
    const mediaAdult = pickRate(quote, { service: 'USPS_MEDIA_MAIL' }).options.find(
      (o) => o.option === 'ADULT_SIGNATURE_REQUIRED',
    );
    expect(mediaAdult).toMatchObject({ supported: false, isRecommended: false });
  });
});
