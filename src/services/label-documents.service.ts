import type { EntityManager } from 'typeorm';
import type { CarrierLink, LabelDocuments } from '../carriers/gateway';
import { DOCUMENT_CALL_TIMEOUT_MS, withCarrierTimeout } from '../carriers/timeout';
import type { Clock } from '../core/clock';
import { labelVoided, notFound } from '../core/errors';
import type { RequestContext } from '../core/request-context';
import { UserErrorCode, fail } from '../core/user-error';
import { Label, LabelDocument } from '../entities';
import { LabelDocumentFormat, LabelStatus } from '../entities/enums';
import { requireSeller } from '../auth/guards';
import type { ServiceDeps } from './deps';
import { CONTENT_TYPES, FORMAT_EXTENSIONS, documentLinkPath } from './label-document-links';
import type { DocumentLinkClaims } from './label-document-links';
import type { PurchasePlan } from './label-purchase-writes';

/**
 * The label's documents from the carrier, for a purchase: called after the carrier sold the
 * label and before the purchase's transaction (a carrier call, and CPU work in the sandbox,
 * must not hold the write lock). When the carrier fails: CARRIER_UNAVAILABLE, and the purchase
 * gives the label back, as for any failure before its commit.
 */
export function fetchLabelDocuments(
  carrier: CarrierLink,
  plan: PurchasePlan,
  trackingNumber: string,
  shipDate: Date,
): Promise<LabelDocuments> {
  const { service, seller, shipTo, quote, option } = plan;
  return withCarrierTimeout(
    carrier.gateway.renderDocuments({
      carrier: service.carrier,
      serviceCode: service.code,
      serviceName: service.name,
      trackingNumber,
      signatureOption: option.option,
      signatureCarrierCode: option.carrierCode,
      shipFrom: {
        name: seller.name,
        line1: null,
        line2: null,
        city: null,
        region: null,
        postalCode: seller.originPostalCode,
        country: 'US',
      },
      shipTo: {
        name: shipTo.name,
        line1: shipTo.line1,
        line2: shipTo.line2 ?? null,
        city: shipTo.city,
        region: shipTo.region,
        postalCode: shipTo.postalCode,
        country: shipTo.country,
      },
      weightOz: quote.parcel.weightOz,
      shipDate,
    }),
    'label documents',
    Math.max(carrier.timeoutMs, DOCUMENT_CALL_TIMEOUT_MS),
  ).catch((error: unknown) =>
    fail(
      UserErrorCode.CARRIER_UNAVAILABLE,
      `The carrier did not return the label's documents (${String(error)}); nothing was bought or charged. Retry with the same idempotencyKey.`,
    ),
  );
}

/** Writes a label's documents; call it inside the purchase's transaction. */
export async function storeLabelDocuments(
  m: EntityManager,
  labelId: number,
  documents: LabelDocuments,
  now: Date,
): Promise<void> {
  const bytes: Record<LabelDocumentFormat, Buffer> = {
    [LabelDocumentFormat.PDF]: documents.pdf,
    [LabelDocumentFormat.PNG]: documents.png,
    [LabelDocumentFormat.ZPL]: documents.zpl,
  };
  await m.insert(
    LabelDocument,
    Object.values(LabelDocumentFormat).map((format) =>
      m.create(LabelDocument, {
        labelId,
        format,
        contentType: CONTENT_TYPES[format],
        bytes: bytes[format],
        createdAt: now,
      }),
    ),
  );
}

export interface LabelDocumentLink {
  url: string;
  expiresAt: Date;
}

/** Why the document route refuses a well-signed link (the route maps these to HTTP). */
export type DocumentRefusal = 'EXPIRED' | 'NOT_FOUND' | 'LABEL_VOIDED';

export interface ServedDocument {
  contentType: string;
  bytes: Buffer;
  filename: string;
}

/**
 * Hands out label documents: a seller mints a short-lived signed link to its own live label's
 * document (Label.document), and the HTTP route serves the bytes for a valid link. A voided
 * label's documents are refused both ways (LABEL_VOIDED): no link is minted for it, and a link
 * minted before the void stops working, so a void label is never printed again.
 */
export class LabelDocumentService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly clock: Clock,
  ) {}

  /**
   * A link for the seller's own label. Other roles: FORBIDDEN; another seller's label answers
   * NOT_FOUND, as for a label that does not exist; a void one LABEL_VOIDED.
   */
  async link(
    ctx: RequestContext,
    label: Label,
    format: LabelDocumentFormat,
  ): Promise<LabelDocumentLink> {
    const { sellerId } = requireSeller(ctx);
    if (label.sellerId !== sellerId) throw notFound('Label');
    if (label.status === LabelStatus.VOIDED) throw labelVoided();
    const stored = await this.deps.db.manager.count(LabelDocument, {
      where: { labelId: label.id, format },
    });
    if (stored === 0) throw notFound('Label document');
    const { secret, ttlSeconds, publicBaseUrl } = this.deps.config.labelDocuments;
    const expires = Math.floor(this.clock().getTime() / 1000) + ttlSeconds;
    const path = documentLinkPath(secret, { labelId: label.id, sellerId, format, expires });
    return { url: `${publicBaseUrl ?? ''}${path}`, expiresAt: new Date(expires * 1000) };
  }

  /** The document a verified link names, or why not. */
  async serve(claims: DocumentLinkClaims): Promise<ServedDocument | DocumentRefusal> {
    if (claims.expires * 1000 <= this.clock().getTime()) return 'EXPIRED';
    const m = this.deps.db.manager;
    const label = await m.findOne(Label, {
      where: { id: claims.labelId, sellerId: claims.sellerId },
    });
    if (!label) return 'NOT_FOUND';
    if (label.status === LabelStatus.VOIDED) return 'LABEL_VOIDED';
    const document = await m.findOne(LabelDocument, {
      where: { labelId: label.id, format: claims.format },
    });
    if (!document) return 'NOT_FOUND';
    return {
      contentType: document.contentType,
      bytes: document.bytes,
      filename: `label-${label.trackingNumber}.${FORMAT_EXTENSIONS[claims.format]}`,
    };
  }
}
