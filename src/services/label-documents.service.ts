import type { EntityManager } from 'typeorm';
import type { CarrierLink, LabelDocuments } from '../carriers/gateway';
import { DOCUMENT_CALL_TIMEOUT_MS, withCarrierTimeout } from '../carriers/timeout';
import type { Clock } from '../core/clock';
import { carrierUnavailable, labelVoided, notFound } from '../core/errors';
import type { RequestContext } from '../core/request-context';
import { isUniqueViolation } from '../db/errors';
import {
  Address,
  CarrierService,
  Label,
  LabelDocument,
  LabelQuote,
  Order,
  Seller,
  ShipFromLocation,
} from '../entities';
import { LabelDocumentFormat, LabelStatus } from '../entities/enums';
import { requireSeller } from '../auth/guards';
import type { ServiceDeps } from './deps';
import { CONTENT_TYPES, FORMAT_EXTENSIONS, documentLinkPath } from './label-document-links';
import type { DocumentLinkClaims } from './label-document-links';

/** What a label's documents show, read back from the label's rows. */
interface DocumentSubject {
  label: Label;
  service: CarrierService;
  /** The ship-from location's address the label was bought with. */
  shipFrom: Address;
  shipTo: Address;
  weightOz: number;
}

/**
 * Asks the carrier for the label's documents. Outside any transaction: a carrier call, and CPU
 * work in the sandbox, must not hold the write lock. A failure is CARRIER_UNAVAILABLE; the
 * label is unaffected and the next request asks again.
 */
function fetchLabelDocuments(
  carrier: CarrierLink,
  { label, service, shipFrom, shipTo, weightOz }: DocumentSubject,
): Promise<LabelDocuments> {
  return withCarrierTimeout(
    carrier.gateway.renderDocuments({
      carrier: service.carrier,
      serviceCode: service.code,
      serviceName: service.name,
      trackingNumber: label.trackingNumber,
      signatureOption: label.signatureOption,
      signatureCarrierCode: label.signatureCarrierCode,
      shipFrom: {
        name: shipFrom.name,
        company: shipFrom.company,
        line1: shipFrom.line1,
        line2: shipFrom.line2 ?? null,
        city: shipFrom.city,
        region: shipFrom.region,
        postalCode: shipFrom.postalCode,
        country: shipFrom.country,
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
      weightOz,
      shipDate: label.createdAt,
    }),
    'label documents',
    Math.max(carrier.timeoutMs, DOCUMENT_CALL_TIMEOUT_MS),
  ).catch((error: unknown) => {
    throw carrierUnavailable(
      `The carrier did not return the label's documents (${String(error)}).`,
    );
  });
}

/** Writes a label's documents. */
async function storeLabelDocuments(
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
    private readonly carrier: CarrierLink,
    private readonly clock: Clock,
  ) {}

  /**
   * Makes sure the label's documents are stored: the first time they are wanted, the carrier is
   * asked for them (as EasyPost renders a label in another format on request), so buying a
   * label does not wait for three renderings. Concurrent first requests may both ask; one
   * stores, the other's copy is dropped.
   */
  async ensureDocuments(label: Label): Promise<void> {
    const m = this.deps.db.manager;
    if (await m.exists(LabelDocument, { where: { labelId: label.id } })) return;
    const [service, order, quote, shipFrom] = await Promise.all([
      m.findOneByOrFail(CarrierService, { id: label.serviceId }),
      m.findOneByOrFail(Order, { id: label.orderId }),
      m.findOneByOrFail(LabelQuote, { id: label.quoteId }),
      this.shipFromOf(label),
    ]);
    const shipTo = await m.findOneByOrFail(Address, { id: order.shipToAddressId });
    const documents = await fetchLabelDocuments(this.carrier, {
      label,
      service,
      shipFrom,
      shipTo,
      weightOz: quote.parcel.weightOz,
    });
    try {
      await this.deps.db.transaction((tx) =>
        storeLabelDocuments(tx.manager, label.id, documents, this.clock()),
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }

  /**
   * The address the label ships from. Labels bought before ship-from locations existed have
   * none recorded: they print the seller's default location, or just the seller's name.
   */
  private async shipFromOf(label: Label): Promise<Address> {
    const m = this.deps.db.manager;
    if (label.shipFromAddressId) return m.findOneByOrFail(Address, { id: label.shipFromAddressId });
    const location = await m.findOneBy(ShipFromLocation, {
      sellerId: label.sellerId,
      isDefault: true,
    });
    if (location) return m.findOneByOrFail(Address, { id: location.addressId });
    const seller = await m.findOneByOrFail(Seller, { id: label.sellerId });
    return m.create(Address, {
      name: seller.name,
      company: null,
      line1: '',
      line2: null,
      city: '',
      region: '',
      postalCode: '',
      country: 'US',
    });
  }

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
    await this.ensureDocuments(label);
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
