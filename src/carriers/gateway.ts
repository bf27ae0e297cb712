import type { Carrier, SignatureOption } from '../entities/enums';

/** Parcel as the carrier rates it: weight in ounces, dimensions in inches. */
export interface Parcel {
  weightOz: number;
  lengthIn: number;
  widthIn: number;
  heightIn: number;
}

/** The catalog facts a carrier call needs about a service. */
export interface ServiceRef {
  carrier: Carrier;
  code: string;
  international: boolean;
  transitDays: number;
}

export interface RateRequest {
  service: ServiceRef;
  parcel: Parcel;
  originPostalCode: string;
  destinationPostalCode: string;
  /** ISO 3166-1 alpha-2. */
  destinationCountry: string;
}

export interface RateResponse {
  /** Postage without any signature fee (fees come from the catalog, itemized). */
  postageMinor: number;
  currency: string;
  /** Carrier zone the price is for (1 = local … 8 = farthest); 0 for international. */
  zone: number;
  estimatedDays: number;
}

export interface PurchaseRequest {
  service: ServiceRef;
  parcel: Parcel;
  originPostalCode: string;
  destinationPostalCode: string;
  destinationCountry: string;
  /** The carrier-native signature code to print on the label, or null for none. */
  signatureCarrierCode: string | null;
  /** Our account at the carrier (the seller). */
  shipperId: number;
  /**
   * One per recorded purchase (seller + idempotency key; a later purchase of the key, after one
   * that failed, adds a suffix): a carrier that dedupes by reference, and the sandbox, return the
   * same label for the same reference, which is how a reconciler learns the label of a purchase
   * whose answer was lost.
   */
  reference: string;
}

export interface PurchaseResponse {
  trackingNumber: string;
}

export interface VoidRequest {
  carrier: Carrier;
  trackingNumber: string;
}

/** An address as printed on a label. */
export interface LabelAddress {
  name: string;
  /** Company line under the name, when there is one. */
  company?: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** What a label's printable documents show: the label the carrier sold, as bought. */
export interface LabelDocumentRequest {
  carrier: Carrier;
  serviceCode: string;
  serviceName: string;
  trackingNumber: string;
  signatureOption: SignatureOption;
  /** The carrier-native signature code bought (e.g. USPS "921", UPS "DCIS:2"), or null. */
  signatureCarrierCode: string | null;
  shipFrom: LabelAddress;
  shipTo: LabelAddress;
  weightOz: number;
  shipDate: Date;
}

/** One label in each printable format: 4×6 in PDF, 4×6 in PNG at 203 dpi, ZPL II. */
export interface LabelDocuments {
  pdf: Buffer;
  png: Buffer;
  zpl: Buffer;
}

/**
 * What the label flow needs from a carrier. The sandbox implements it deterministically; a UPS
 * or USPS adapter implements the same calls against the carrier's API.
 */
export interface CarrierGateway {
  rate(request: RateRequest): Promise<RateResponse>;
  purchase(request: PurchaseRequest): Promise<PurchaseResponse>;
  /** Cancels an unused label; throws when the carrier refuses. */
  void(request: VoidRequest): Promise<void>;
  /** The printable documents of a label it sold (carriers return them with the label). */
  renderDocuments(request: LabelDocumentRequest): Promise<LabelDocuments>;
}

/** A carrier and how long a purchase or void may wait for it. */
export interface CarrierLink {
  gateway: CarrierGateway;
  timeoutMs: number;
}
