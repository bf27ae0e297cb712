import type { RequestContext } from '../../core/request-context';
import { Claim, Label, RiskAssessment, SignatureDecision } from '../../entities';
import type { Address, DeliveryProof } from '../../entities';
import type { QuotedRate } from '../../entities/label-quote.entity';
import { LabelStatus, ShipmentStatus, SignatureOption } from '../../entities/enums';
import { signerMatches } from '../tracking/proof-checks';
import type { ServiceDeps } from '../deps';
import { expectedValue } from './expected-value';
import type { ClaimHistory } from './expected-value';
import { assessProtection } from './rules';
import type { DeliveryFacts, Protection, ProtectionInput } from './rules';

/** Claim history of labels on orders of one risk level, split by whether a signature was bought. */
export interface ClaimHistoryByKind {
  signed: ClaimHistory;
  unsigned: ClaimHistory;
}

/** What a quote knows of its order when it prices the options. */
export interface QuoteFacts {
  currency: string;
  orderTotalMinor: number;
  ageRestricted: boolean;
  shipTo: Address;
  risk: RiskAssessment | null;
  history: ClaimHistoryByKind;
}

const reasonCodes = (risk: RiskAssessment | null) => (risk?.reasons ?? []).map((r) => r.code);

/** The delivery as the protection rules read it: null until the carrier reports delivery. */
export function deliveryFacts(
  status: ShipmentStatus | null,
  proof: DeliveryProof | null,
  recipientName: string,
): DeliveryFacts | null {
  if (status !== ShipmentStatus.DELIVERED) return null;
  const signer = proof?.signerName ?? null;
  return {
    signatureCaptured: signer !== null,
    signerMatches: signer === null ? null : signerMatches(signer, recipientName),
    adultIdVerified: proof?.adultIdVerified ?? null,
  };
}

/**
 * Stamps every option of a quote's rates with its protection and expected value, from facts the
 * quote already loaded: stored with the quote, so reading a quote costs no statement.
 */
export function annotateQuoteRates(rates: QuotedRate[], facts: QuoteFacts): QuotedRate[] {
  const base: Omit<ProtectionInput, 'signature'> = {
    currency: facts.currency,
    orderTotalMinor: facts.orderTotalMinor,
    ageRestricted: facts.ageRestricted,
    shipTo: facts.shipTo,
    riskReasonCodes: reasonCodes(facts.risk),
    shipToChangedAfterLabel: false,
    delivery: null,
  };
  return rates.map((rate) => ({
    ...rate,
    options: rate.options.map((option) => {
      const protection = assessProtection({ ...base, signature: option.option });
      const signed = option.option !== SignatureOption.NONE;
      return {
        ...option,
        protection,
        expectedValue: expectedValue({
          feeMinor: option.feeMinor,
          orderValueMinor: facts.orderTotalMinor,
          protected: protection.protected,
          riskLevel: facts.risk?.level ?? null,
          signed,
          history: signed ? facts.history.signed : facts.history.unsigned,
        }),
      };
    }),
  }));
}

/**
 * Seller protection of quotes and labels (rules in ./rules.ts). A label's protection is computed
 * when read, from its order, items, ship-to, current risk assessment, shipment and delivery
 * proof, all through the request's loaders: a list of labels costs a fixed number of statements.
 */
export class ProtectionService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The label's protection as things stand now (after delivery: with what the carrier saw). */
  async forLabel(ctx: RequestContext, label: Label): Promise<Protection> {
    const { loaders } = ctx;
    const [order, items, risk, shipments] = await Promise.all([
      loaders.orderById.load(label.orderId),
      loaders.lineItemsByOrderId.load(label.orderId),
      loaders.currentRiskByOrderId.load(label.orderId),
      loaders.shipmentsByOrderId.load(label.orderId),
    ]);
    if (!order) throw new Error(`Label ${label.id} has no order ${label.orderId}`);
    const shipment = shipments.find((s) => s.labelId === label.id) ?? null;
    const [shipTo, proofs] = await Promise.all([
      loaders.addressById.load(order.shipToAddressId),
      shipment ? loaders.deliveryProofsByShipmentId.load(shipment.id) : Promise.resolve([]),
    ]);
    if (!shipTo) throw new Error(`Order ${order.id} has no ship-to ${order.shipToAddressId}`);
    return assessProtection({
      currency: order.currency,
      orderTotalMinor: order.totalMinor,
      signature: label.signatureOption,
      ageRestricted: items.some((i) => i.ageRestricted),
      shipTo,
      riskReasonCodes: reasonCodes(risk),
      // Labels bought before the fingerprint was kept cannot tell: they are given the benefit.
      shipToChangedAfterLabel:
        label.shipToFingerprint !== null && label.shipToFingerprint !== shipTo.fingerprint,
      delivery: deliveryFacts(shipment?.status ?? null, proofs[0] ?? null, shipTo.name),
    });
  }

  /**
   * Claim history for a risk level, platform-wide, in one statement: live labels whose purchase
   * recorded an assessment at that level (the recommendation the seller saw), split by whether
   * a signature was bought, and how many of them got a not-received claim. No level: no history.
   */
  async claimHistory(level: string | null): Promise<ClaimHistoryByKind> {
    const none = { labels: 0, claims: 0 };
    if (level === null) return { signed: none, unsigned: none };
    const rows = await this.deps.db.manager
      .createQueryBuilder(Label, 'l')
      .innerJoin(SignatureDecision, 'd', '"d"."labelId" = "l"."id"')
      .innerJoin(RiskAssessment, 'ra', '"ra"."id" = "d"."riskAssessmentId"')
      .leftJoin(Claim, 'c', '"c"."labelId" = "l"."id"')
      .select(`CASE WHEN "l"."signatureOption" = :none THEN 0 ELSE 1 END`, 'signed')
      .addSelect('COUNT(DISTINCT "l"."id")', 'labels')
      .addSelect('COUNT(DISTINCT "c"."labelId")', 'claims')
      .where('"ra"."level" = :level')
      .andWhere('"l"."status" = :purchased')
      // By the output column: one CASE, so PostgreSQL sees the same expression once.
      .groupBy('"signed"')
      .setParameters({ level, none: SignatureOption.NONE, purchased: LabelStatus.PURCHASED })
      .getRawMany<{ signed: unknown; labels: unknown; claims: unknown }>();
    const of = (signed: boolean): ClaimHistory => {
      const row = rows.find((r) => Number(r.signed) === (signed ? 1 : 0));
      return row ? { labels: Number(row.labels), claims: Number(row.claims) } : none;
    };
    return { signed: of(true), unsigned: of(false) };
  }
}
