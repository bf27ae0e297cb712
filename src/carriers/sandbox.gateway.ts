import { Carrier } from '../entities/enums';
import { renderLabelDocuments } from './documents';
import type {
  CarrierGateway,
  LabelDocumentRequest,
  LabelDocuments,
  Parcel,
  PurchaseRequest,
  PurchaseResponse,
  RateRequest,
  RateResponse,
  VoidRequest,
} from './gateway';
import {
  upsTrackingNumber,
  uspsInternationalTrackingNumber,
  uspsTrackingNumber,
} from './tracking-numbers';
import { zoneFor } from './zones';
import { SANDBOX_RATE_CARD } from './sandbox-rates';
import type { SandboxRate } from './sandbox-rates';

/** Carriers bill the greater of actual and dimensional weight (L × W × H / 166 for retail). */
const DIM_DIVISOR = 166;

/** Billable weight in started pounds. */
export function billablePounds(parcel: Parcel): number {
  const actual = parcel.weightOz / 16;
  const dimensional = (parcel.lengthIn * parcel.widthIn * parcel.heightIn) / DIM_DIVISOR;
  return Math.max(1, Math.ceil(Math.max(actual, dimensional)));
}

/**
 * A deterministic stand-in for UPS and USPS: postage from billable weight and zone with the
 * sandbox's own rate card, tracking numbers in each carrier's format derived from the
 * purchase reference, and void always granted (the label service decides whether a label may be
 * voided). The same request always gives the same answer.
 */
export class SandboxGateway implements CarrierGateway {
  constructor(
    private readonly rateCard: Readonly<Record<string, SandboxRate>> = SANDBOX_RATE_CARD,
  ) {}

  async rate({
    service,
    parcel,
    originPostalCode,
    destinationPostalCode,
  }: RateRequest): Promise<RateResponse> {
    const zone = service.international ? 0 : zoneFor(originPostalCode, destinationPostalCode);
    const pounds = billablePounds(parcel);
    const card = this.rateCard[service.code];
    if (!card) throw new Error(`the sandbox does not rate ${service.code}`);
    const postageMinor =
      card.baseRateMinor +
      card.perPoundMinor * (pounds - 1) +
      card.perZoneMinor * Math.max(0, zone - 1);
    // Ground services take a day longer across the country.
    const estimatedDays = service.transitDays + (service.transitDays >= 3 && zone >= 7 ? 1 : 0);
    return { postageMinor, currency: 'USD', zone, estimatedDays };
  }

  async purchase({ service, shipperId, reference }: PurchaseRequest): Promise<PurchaseResponse> {
    if (service.carrier === Carrier.UPS) {
      return { trackingNumber: upsTrackingNumber(service.code, shipperId, reference) };
    }
    return {
      trackingNumber: service.international
        ? uspsInternationalTrackingNumber(reference)
        : uspsTrackingNumber(service.code, reference),
    };
  }

  async void(_request: VoidRequest): Promise<void> {}

  /** Draws a real label (layout, barcode and signature marking in src/carriers/documents). */
  renderDocuments(request: LabelDocumentRequest): Promise<LabelDocuments> {
    return renderLabelDocuments(request);
  }
}
