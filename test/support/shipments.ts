import { randomUUID } from 'node:crypto';
import { authenticate } from '../../src/auth/authenticate';
import type { RequestContext } from '../../src/core/request-context';
import { Address, Buyer, Order, Seller } from '../../src/entities';
import type { Shipment } from '../../src/entities';
import { Carrier, OrderStatus, SignatureOption } from '../../src/entities/enums';
import { toGlobalId } from '../../src/core/global-id';
import { lazyLoaders } from '../../src/loaders/loaders';
import { createServices } from '../../src/services/services';
import type { TestServer } from './test-server';

export interface ShipmentFixture {
  shipment: Shipment;
  order: Order;
  buyer: Buyer;
  shipTo: Address;
  trackingNumber: string;
  shipmentGid: string;
  orderGid: string;
  /** Dev tokens of the order's seller and buyer. */
  sellerToken: string;
  buyerToken: string;
}

export interface ShipmentOptions {
  signature?: SignatureOption;
  carrier?: Carrier;
  /** Seller index (0-based) whose order to ship; default 0. */
  seller?: number;
  /** When the label was bought; default an hour ago, so carrier events "now" come after it. */
  labelAt?: Date;
}

/**
 * A shipment in LABEL_CREATED, bought the way a seller buys one: the seller accepts the signature
 * terms when the option needs them, quotes one of its seeded orders awaiting shipment and buys a
 * rate of `carrier` with `signature` through the quote and purchase services. So the label,
 * shipment, first event, charges, decision and buyer notification are the product's own rows.
 *
 * The services are the server's, with their clock set to `labelAt`: a label bought "an hour ago"
 * lets tests post carrier events a few minutes in the past without them reading as stale.
 */
export async function createShipment(
  server: TestServer,
  options: ShipmentOptions = {},
): Promise<ShipmentFixture> {
  const m = server.db.manager;
  const carrier = options.carrier ?? Carrier.USPS;
  const signature = options.signature ?? SignatureOption.SIGNATURE_REQUIRED;
  const labelAt = options.labelAt ?? new Date(Date.now() - 3_600_000);
  const sellerIndex = options.seller ?? 0;
  const sellerToken = server.tokens.seller[sellerIndex];
  const sellerId = (await m.find(Seller, { order: { id: 'ASC' } }))[sellerIndex].id;

  const { services } = server;
  const ctx: RequestContext = {
    requestId: randomUUID(),
    viewer: await authenticate(m, sellerToken),
    loaders: lazyLoaders(m),
  };
  const deps = {
    db: server.db,
    config: server.config,
    logger: server.logger,
    events: server.events,
  };
  const at = createServices(deps, { clock: () => labelAt, carriers: server.carriers });
  const quotes = at.labelQuotes;
  const purchases = at.labelPurchase;

  if (signature !== SignatureOption.NONE) {
    const terms = await services.signatureTerms.view(ctx);
    if (terms && !terms.acceptedAt) {
      await services.signatureTerms.accept(ctx, { version: terms.terms.version });
    }
  }
  const candidates = await m.find(Order, {
    where: { sellerId, status: OrderStatus.AWAITING_SHIPMENT },
    order: { id: 'ASC' },
  });
  for (const candidate of candidates) {
    // Not every order can go by every carrier with every option (international services, …).
    const { quote } = await quotes.create(ctx, { orderId: toGlobalId('Order', candidate.id) });
    const rate = quote?.rates.find(
      (r) => r.carrier === carrier && r.options.some((o) => o.option === signature && o.supported),
    );
    if (!quote || !rate) continue;
    const bought = await purchases.purchase(ctx, {
      quoteId: toGlobalId('LabelQuote', quote.id),
      rateId: rate.rateId,
      signatureOption: signature,
      idempotencyKey: `fixture-${randomUUID()}`,
    });
    // A concurrent fixture may have labeled the order first: take the next one.
    if (!bought.shipment || !bought.order) continue;
    const { shipment, order } = bought;
    const buyerIds = (await m.find(Buyer, { order: { id: 'ASC' } })).map((b) => b.id);
    return {
      shipment,
      order,
      buyer: await m.findOneByOrFail(Buyer, { id: order.buyerId }),
      shipTo: await m.findOneByOrFail(Address, { id: order.shipToAddressId }),
      trackingNumber: shipment.trackingNumber,
      shipmentGid: toGlobalId('Shipment', shipment.id),
      orderGid: toGlobalId('Order', order.id),
      sellerToken,
      buyerToken: server.tokens.buyer[buyerIds.indexOf(order.buyerId)],
    };
  }
  throw new Error(
    `no order of seller #${sellerIndex + 1} awaiting shipment can ship by ${carrier} with ${signature}`,
  );
}

/** A token of a buyer other than `notThis`. */
export function otherBuyerToken(server: TestServer, notThis: string): string {
  return server.tokens.buyer.find((t) => t !== notThis) as string;
}
