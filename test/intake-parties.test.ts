import { parseGlobalId, toGlobalId } from '../src/core/global-id';
import { parseMinor } from '../src/core/money';
import { zoneFor } from '../src/carriers/zones';
import {
  Address,
  Buyer,
  CarrierService,
  Label,
  Order,
  Seller,
  ShipFromLocation,
} from '../src/entities';
import {
  LabelDocumentLinkDocument,
  MyShipFromLocationsDocument,
  QuoteFromLocationDocument,
  UpsertBuyerDocument,
  UpsertSellerDocument,
} from './generated/operations';
import type { UpsertBuyerInput, UpsertSellerInput } from './generated/operations';
import { pickOrder, purchase } from './support/labels';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const pdx = {
  key: 'pdx-1',
  name: 'Portland warehouse',
  address: {
    name: 'Shipping desk',
    company: 'Lumen Lamps LLC',
    line1: '2030 NW Vaughn St',
    line2: 'Dock 4',
    city: 'Portland',
    region: 'or',
    postalCode: '97210',
    country: 'us',
  },
  phone: '(503) 555-0147',
  isDefault: true,
};
const mia = {
  key: 'mia-1',
  name: 'Miami store',
  address: {
    name: 'Lumen Lamps',
    line1: '120 NE 1st Ave',
    city: 'Miami',
    region: 'FL',
    postalCode: '33132-1234',
    country: 'US',
  },
  phone: '+1 305 555 0188',
  isDefault: false,
};
const sellerInput = (patch: Partial<UpsertSellerInput> = {}): UpsertSellerInput => ({
  externalId: 'shop-4711',
  name: 'Lumen Lamps',
  shipFromLocations: [pdx, mia],
  ...patch,
});

const upsertSeller = (input: UpsertSellerInput, token: string | null = server.tokens.admin) =>
  server.gql(UpsertSellerDocument, { input }, token);
const upsertBuyer = (input: UpsertBuyerInput, token: string | null = server.tokens.platform) =>
  server.gql(UpsertBuyerDocument, { input }, token);

/** Every row upserts write, to show that a refused or repeated call wrote nothing. */
async function snapshot() {
  const m = server.db.manager;
  return JSON.stringify(
    await Promise.all([
      m.find(Seller, { order: { id: 'ASC' } }),
      m.find(ShipFromLocation, { order: { id: 'ASC' } }),
      m.count(Address),
      m.find(Buyer, { order: { id: 'ASC' } }),
    ]),
  );
}

describe('upsertSeller', () => {
  it('creates a seller with its locations, normalized: E.164 phones, upper-case codes', async () => {
    const res = await upsertSeller(sellerInput());
    const out = res.data!.upsertSeller;
    expect(out.userErrors).toEqual([]);
    expect(out.outcome).toBe('CREATED');
    expect(out.seller).toMatchObject({ name: 'Lumen Lamps', externalId: 'shop-4711' });
    expect(out.seller!.shipFromLocations).toEqual([
      expect.objectContaining({
        key: 'pdx-1',
        isDefault: true,
        phone: '+15035550147',
        address: { ...pdx.address, region: 'OR', country: 'US' },
      }),
      expect.objectContaining({
        key: 'mia-1',
        isDefault: false,
        phone: '+13055550188',
        address: { ...mia.address, company: null, line2: null },
      }),
    ]);
  });

  it('answers the same input with the same seller, UNCHANGED, writing nothing', async () => {
    const before = await snapshot();
    const first = (await upsertSeller(sellerInput())).data!.upsertSeller;
    const again = (await upsertSeller(sellerInput(), server.tokens.platform)).data!.upsertSeller;
    expect(first.outcome).toBe('UNCHANGED');
    expect(again.outcome).toBe('UNCHANGED');
    expect(again.seller).toEqual(first.seller);
    expect(await snapshot()).toBe(before);
  });

  it('updates what changed; a moved location gets a new address row, the old one stays', async () => {
    const before = (await upsertSeller(sellerInput())).data!.upsertSeller.seller!;
    const oldAddressId = (await server.db.manager.findOneByOrFail(ShipFromLocation, {
      externalKey: 'mia-1',
    }))!.addressId;
    const moved = { ...mia, address: { ...mia.address, line1: '500 Brickell Key Dr' } };
    const res = await upsertSeller(
      sellerInput({ name: 'Lumen Lamps & Co', shipFromLocations: [pdx, moved] }),
    );
    const out = res.data!.upsertSeller;
    expect(out.outcome).toBe('UPDATED');
    expect(out.seller!.id).toBe(before.id);
    expect(out.seller!.name).toBe('Lumen Lamps & Co');
    expect(out.seller!.shipFromLocations![1].address.line1).toBe('500 Brickell Key Dr');
    expect(out.seller!.shipFromLocations![1].id).toBe(before.shipFromLocations![1].id);
    expect((await server.db.manager.findOneByOrFail(Address, { id: oldAddressId })).line1).toBe(
      '120 NE 1st Ave',
    );
    // Back as it was, for the tests below.
    await upsertSeller(sellerInput());
  });

  it('makes the locations exactly the ones sent: a missing one is removed', async () => {
    const res = await upsertSeller(sellerInput({ externalId: 'shop-4712' }));
    expect(res.data!.upsertSeller.seller!.shipFromLocations).toHaveLength(2);
    const only = await upsertSeller(
      sellerInput({ externalId: 'shop-4712', shipFromLocations: [{ ...mia, isDefault: true }] }),
    );
    expect(only.data!.upsertSeller.outcome).toBe('UPDATED');
    expect(only.data!.upsertSeller.seller!.shipFromLocations).toEqual([
      expect.objectContaining({ key: 'mia-1', isDefault: true }),
    ]);
  });

  it('is for staff and the platform only', async () => {
    for (const token of [server.tokens.seller[0], server.tokens.buyer[0]]) {
      const res = await upsertSeller(sellerInput(), token);
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await upsertSeller(sellerInput(), null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  const loc = (i: number) => ['input', 'shipFromLocations', String(i)];
  const withAddress = (patch: Record<string, unknown>) =>
    sellerInput({ shipFromLocations: [{ ...pdx, address: { ...pdx.address, ...patch } }] });
  it.each<[string, UpsertSellerInput, string[]]>([
    ['a blank external id', sellerInput({ externalId: ' ' }), ['input', 'externalId']],
    ['an external id with a space', sellerInput({ externalId: 'a b' }), ['input', 'externalId']],
    [
      'an external id of 65 characters',
      sellerInput({ externalId: 'x'.repeat(65) }),
      ['input', 'externalId'],
    ],
    ['a blank name', sellerInput({ name: '' }), ['input', 'name']],
    ['a name of 121 characters', sellerInput({ name: 'n'.repeat(121) }), ['input', 'name']],
    ['no location', sellerInput({ shipFromLocations: [] }), ['input', 'shipFromLocations']],
    [
      'no default location',
      sellerInput({ shipFromLocations: [{ ...pdx, isDefault: false }] }),
      ['input', 'shipFromLocations'],
    ],
    [
      'two default locations',
      sellerInput({ shipFromLocations: [pdx, { ...mia, isDefault: true }] }),
      ['input', 'shipFromLocations'],
    ],
    [
      'a duplicate location key',
      sellerInput({ shipFromLocations: [pdx, { ...mia, key: 'pdx-1' }] }),
      [...loc(1), 'key'],
    ],
    [
      'a location key with a space',
      sellerInput({ shipFromLocations: [{ ...pdx, key: 'p d x' }] }),
      [...loc(0), 'key'],
    ],
    [
      'a blank location name',
      sellerInput({ shipFromLocations: [{ ...pdx, name: ' ' }] }),
      [...loc(0), 'name'],
    ],
    [
      'a phone that is no number',
      sellerInput({ shipFromLocations: [{ ...pdx, phone: '555' }] }),
      [...loc(0), 'phone'],
    ],
    ['a 4-digit ZIP', withAddress({ postalCode: '9720' }), [...loc(0), 'address', 'postalCode']],
    [
      'a ZIP with letters',
      withAddress({ postalCode: '97A10' }),
      [...loc(0), 'address', 'postalCode'],
    ],
    ['an unknown US state', withAddress({ region: 'XX' }), [...loc(0), 'address', 'region']],
    ['an unknown country', withAddress({ country: 'ZZ' }), [...loc(0), 'address', 'country']],
    [
      'a location abroad',
      withAddress({ country: 'CA', region: 'ON', postalCode: 'K1A 0B1' }),
      [...loc(0), 'address', 'country'],
    ],
    ['a blank street', withAddress({ line1: '' }), [...loc(0), 'address', 'line1']],
    [
      'a street of 201 characters',
      withAddress({ line1: 's'.repeat(201) }),
      [...loc(0), 'address', 'line1'],
    ],
    [
      'a city with a control character',
      withAddress({ city: 'Port\u0000land' }),
      [...loc(0), 'address', 'city'],
    ],
    ['a blank addressee', withAddress({ name: ' ' }), [...loc(0), 'address', 'name']],
  ])('refuses %s with INVALID_INPUT at its field, writing nothing', async (_what, input, field) => {
    const before = await snapshot();
    const res = await upsertSeller({
      ...input,
      externalId: input.externalId === 'shop-4711' ? 'shop-new' : input.externalId,
    });
    const out = res.data!.upsertSeller;
    expect(out.seller).toBeNull();
    expect(out.userErrors).toContainEqual(
      expect.objectContaining({ code: 'INVALID_INPUT', field }),
    );
    expect(await snapshot()).toBe(before);
  });

  it('reports every problem of an input at once', async () => {
    const res = await upsertSeller(
      sellerInput({ name: '', shipFromLocations: [{ ...pdx, phone: 'x', isDefault: false }] }),
    );
    expect(res.data!.upsertSeller.userErrors.map((e) => e.field)).toEqual([
      ['input', 'name'],
      [...loc(0), 'phone'],
      ['input', 'shipFromLocations'],
    ]);
  });

  it('makes one seller of concurrent first upserts of one external id', async () => {
    const input = sellerInput({ externalId: 'shop-race' });
    const results = await Promise.all([1, 2, 3].map(() => upsertSeller(input)));
    const ids = new Set(results.map((r) => r.data!.upsertSeller.seller!.id));
    expect(ids.size).toBe(1);
    expect(await server.db.manager.countBy(Seller, { externalId: 'shop-race' })).toBe(1);
  });
});

describe('Seller.shipFromLocations', () => {
  it('reads the locations and addresses of a page of orders in a fixed number of statements', async () => {
    const query = `query($first: Int) { orders(first: $first) { edges { node { id
      seller { shipFromLocations { key address { line1 postalCode } } } } } } }`;
    const read = (first: number) =>
      server.sql.measure(() => server.gql(query, { first }, server.tokens.admin));
    const small = await read(3);
    const large = await read(60);
    const sellers = new Set(
      (
        large.result.data as { orders: { edges: { node: { seller: unknown } }[] } }
      ).orders.edges.map((e) => JSON.stringify(e.node.seller)),
    );
    expect(sellers.size).toBeGreaterThan(1);
    expect(large.statements).toBe(small.statements);
  });
});

describe('upsertBuyer', () => {
  const buyer: UpsertBuyerInput = {
    externalId: 'buyer-99',
    name: 'Rosa Estevez',
    email: 'rosa@example.com',
    phone: '(206) 555-0199',
    accountCreatedAt: '2026-11-01T09:30:00.000Z',
  };

  it('creates, repeats as UNCHANGED and updates; account age is the creation date', async () => {
    const created = (await upsertBuyer(buyer)).data!.upsertBuyer;
    expect(created).toMatchObject({ outcome: 'CREATED', userErrors: [] });
    expect(created.buyer).toMatchObject({ name: 'Rosa Estevez', externalId: 'buyer-99' });
    const id = parseGlobalId(created.buyer!.id)!.id;
    const row = await server.db.manager.findOneByOrFail(Buyer, { id });
    expect(row).toMatchObject({ email: 'rosa@example.com', phone: '+12065550199' });
    expect(row.createdAt.toISOString()).toBe('2026-11-01T09:30:00.000Z');

    const before = await snapshot();
    const again = (await upsertBuyer(buyer, server.tokens.admin)).data!.upsertBuyer;
    expect(again).toMatchObject({ outcome: 'UNCHANGED', buyer: created.buyer });
    expect(await snapshot()).toBe(before);

    const moved = (await upsertBuyer({ ...buyer, email: 'rosa.e@example.net', phone: null })).data!
      .upsertBuyer;
    expect(moved).toMatchObject({ outcome: 'UPDATED', buyer: { id: created.buyer!.id } });
    expect(await server.db.manager.findOneByOrFail(Buyer, { id })).toMatchObject({
      email: 'rosa.e@example.net',
      phone: null,
    });
  });

  it('is for staff and the platform only', async () => {
    for (const token of [server.tokens.seller[0], server.tokens.buyer[0]]) {
      const res = await upsertBuyer(buyer, token);
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it.each<[string, Partial<UpsertBuyerInput>, string]>([
    ['a blank external id', { externalId: '' }, 'externalId'],
    ['a blank name', { name: ' ' }, 'name'],
    ['an e-mail without a domain', { email: 'rosa@' }, 'email'],
    ['an e-mail of 201 characters', { email: `${'r'.repeat(189)}@example.com` }, 'email'],
    ['a phone of letters', { phone: 'call me' }, 'phone'],
    [
      'an account opened in the future',
      { accountCreatedAt: '2999-01-01T00:00:00Z' },
      'accountCreatedAt',
    ],
  ])('refuses %s with INVALID_INPUT at its field, writing nothing', async (_what, patch, field) => {
    const before = await snapshot();
    const res = await upsertBuyer({ ...buyer, externalId: 'buyer-new', ...patch });
    expect(res.data!.upsertBuyer.buyer).toBeNull();
    expect(res.data!.upsertBuyer.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', field] }),
    ]);
    expect(await snapshot()).toBe(before);
  });
});

describe('quotes and labels from a ship-from location', () => {
  /** The seed's first seller: Portland (default) and a Philadelphia warehouse. */
  const seller = () => server.tokens.seller[0];

  async function locations() {
    const res = await server.gql(MyShipFromLocationsDocument, {}, seller());
    return res.data!.viewer.seller!.shipFromLocations!;
  }

  /** The sandbox's postage for this service between these ZIPs, as the quote must show it. */
  async function expectedPostage(code: string, from: string, to: string, parcel: Order) {
    const service = await server.db.manager.findOneByOrFail(CarrierService, { code });
    const rate = await server.carriers.rate({
      service,
      parcel: {
        weightOz: parcel.parcelWeightOz,
        lengthIn: parcel.parcelLengthIn,
        widthIn: parcel.parcelWidthIn,
        heightIn: parcel.parcelHeightIn,
      },
      originPostalCode: from,
      destinationPostalCode: to,
      destinationCountry: 'US',
    });
    return rate.postageMinor;
  }

  it('prices from the chosen location, and the label records and prints its address', async () => {
    const [home, warehouse] = await locations();
    expect(home).toMatchObject({ isDefault: true, address: { postalCode: '97209' } });
    expect(warehouse).toMatchObject({ isDefault: false, address: { postalCode: '19134' } });

    // An order whose destination is nearer one location than the other.
    const m = server.db.manager;
    let order: Order | null = null;
    let to = '';
    for (let i = 0; i < 20 && !order; i++) {
      const picked = await pickOrder(server, seller(), { index: i });
      const row = await m.findOneByOrFail(Order, { id: parseGlobalId(picked.id)!.id });
      const shipTo = await m.findOneByOrFail(Address, { id: row.shipToAddressId });
      if (
        shipTo.country === 'US' &&
        zoneFor('97209', shipTo.postalCode) !== zoneFor('19134', shipTo.postalCode)
      ) {
        order = row;
        to = shipTo.postalCode;
      }
    }
    if (!order) throw new Error('no order with different zones from the two locations');
    const orderId = toGlobalId('Order', order.id);

    const quote = async (shipFromLocationId?: string) => {
      const res = await server.gql(
        QuoteFromLocationDocument,
        { input: { orderId, shipFromLocationId } },
        seller(),
      );
      expect(res.data!.createLabelQuote.userErrors).toEqual([]);
      return res.data!.createLabelQuote.quote!;
    };
    const byDefault = await quote();
    const fromWarehouse = await quote(warehouse.id);
    expect(byDefault.shipFrom!.postalCode).toBe('97209');
    expect(fromWarehouse.shipFrom).toMatchObject({ line1: '2600 E Tioga St', postalCode: '19134' });
    const code = 'USPS_GROUND_ADVANTAGE';
    const postage = (q: typeof byDefault) =>
      parseMinor(q.rates.find((r) => r.service.code === code)!.basePostage.amount);
    expect(postage(byDefault)).toBe(await expectedPostage(code, '97209', to, order));
    expect(postage(fromWarehouse)).toBe(await expectedPostage(code, '19134', to, order));
    expect(postage(fromWarehouse)).not.toBe(postage(byDefault));

    const rate = fromWarehouse.rates.find((r) => r.service.code === code)!;
    const bought = await purchase(server, seller(), {
      quoteId: fromWarehouse.id,
      rateId: rate.id,
      signatureOption: 'NONE',
      idempotencyKey: `from-warehouse-${order.id}`,
    });
    expect(bought.data!.purchaseLabel.userErrors).toEqual([]);
    const labelId = bought.data!.purchaseLabel.label!.id;
    const label = await m.findOneByOrFail(Label, { id: parseGlobalId(labelId)!.id });
    expect(label.shipFromLocationId).toBe(parseGlobalId(warehouse.id)!.id);

    const link = await server.gql(
      LabelDocumentLinkDocument,
      { id: labelId, format: 'ZPL' },
      seller(),
    );
    const node = link.data!.node;
    if (!node || !('document' in node)) throw new Error('no label document link');
    const zpl = await (await fetch(new URL(node.document.url, server.url))).text();
    expect(zpl).toContain('^FD2600 E Tioga St^FS');
    expect(zpl).toContain('^FDPhiladelphia, PA 19134^FS');
    expect(zpl).not.toContain('Lovejoy');
  });

  it("refuses another seller's location and a malformed id, coded at the field", async () => {
    const picked = await pickOrder(server, seller(), { index: 1 });
    const theirs = await server.gql(MyShipFromLocationsDocument, {}, server.tokens.seller[1]);
    const cases: Array<[string, string]> = [
      [theirs.data!.viewer.seller!.shipFromLocations![0].id, 'SHIP_FROM_LOCATION_NOT_FOUND'],
      ['bogus', 'INVALID_ID'],
    ];
    for (const [shipFromLocationId, code] of cases) {
      const res = await server.gql(
        QuoteFromLocationDocument,
        { input: { orderId: picked.id, shipFromLocationId } },
        seller(),
      );
      expect(res.data!.createLabelQuote.userErrors).toEqual([
        expect.objectContaining({ code, field: ['input', 'shipFromLocationId'] }),
      ]);
    }
  });
});
