import type { Carrier } from '../entities/enums';

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
  baseRateMinor: number;
  perPoundMinor: number;
  perZoneMinor: number;
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

/**
 * What the label flow needs from a carrier. The sandbox implements it deterministically; a UPS
 * or USPS adapter implements the same calls against the carrier's API.
 */
export interface CarrierGateway {
  rate(request: RateRequest): Promise<RateResponse>;
  purchase(request: PurchaseRequest): Promise<PurchaseResponse>;
  /** Cancels an unused label; throws when the carrier refuses. */
  void(request: VoidRequest): Promise<void>;
}

/** A carrier and how long a purchase or void may wait for it. */
export interface CarrierLink {
  gateway: CarrierGateway;
  timeoutMs: number;
}
