import { LessThanOrEqual } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { toGlobalId } from '../../core/global-id';
import {
  DeliveryProof,
  Label,
  LabelQuote,
  Order,
  RiskAssessment,
  Shipment,
  SignatureTerms,
} from '../../entities';
import { LabelStatus, OrderStatus, RiskLevel } from '../../entities/enums';

/** Ids the IDE's example tabs are filled with: the IDE seller's own, read when the page is served. */
export interface SeededIds {
  /** A high-risk order awaiting shipment (else any awaiting shipment). */
  orderId?: string;
  quoteId?: string;
  rateId?: string;
  termsVersion?: string;
  labelId?: string;
  trackingNumber?: string;
  proofId?: string;
}

/**
 * Reads the newest of each from the database (a few indexed reads per page load): after a
 * reload the tabs follow the seller's day, e.g. PurchaseLabel gets the quote QuoteLabel made.
 */
export async function seededIds(m: EntityManager, sellerId: number): Promise<SeededIds> {
  const newest = { id: 'DESC' } as const;
  const awaiting = { sellerId, status: OrderStatus.AWAITING_SHIPMENT };
  const risky = await m
    .createQueryBuilder(Order, 'o')
    .innerJoin(RiskAssessment, 'r', 'r.orderId = o.id AND r.isCurrent = :current', {
      current: true,
    })
    .where('o.sellerId = :sellerId AND o.status = :status', awaiting)
    .andWhere('r.level = :level', { level: RiskLevel.HIGH })
    .orderBy('o.placedAt', 'DESC')
    .getOne();
  const order = risky ?? (await m.findOne(Order, { where: awaiting, order: { placedAt: 'DESC' } }));
  const [quote, terms, label, shipment, proof] = await Promise.all([
    m.findOne(LabelQuote, { where: { sellerId }, order: newest }),
    m.findOne(SignatureTerms, {
      where: { publishedAt: LessThanOrEqual(new Date()) },
      order: { publishedAt: 'DESC' },
    }),
    m.findOne(Label, { where: { sellerId, status: LabelStatus.PURCHASED }, order: newest }),
    m.findOne(Shipment, { where: { sellerId }, order: newest }),
    m.findOne(DeliveryProof, { where: { sellerId }, order: newest }),
  ]);
  return {
    orderId: order ? toGlobalId('Order', order.id) : undefined,
    quoteId: quote ? toGlobalId('LabelQuote', quote.id) : undefined,
    rateId: quote?.rates[0]?.rateId,
    termsVersion: terms?.version,
    labelId: label ? toGlobalId('Label', label.id) : undefined,
    trackingNumber: shipment?.trackingNumber,
    proofId: proof ? toGlobalId('DeliveryProof', proof.id) : undefined,
  };
}
