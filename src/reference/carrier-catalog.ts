import { Carrier, SignatureOption } from '../entities/enums';

/**
 * The UPS and USPS carrier catalog: services, and for each the signature options it supports.
 * Production loads it into an empty database at start-up (load-reference-data.ts).
 *
 * The fees are published list prices from the public pages named below, none of them the
 * carriers' own rate tables, so treat them as estimates rather than billing truth: real fees
 * depend on the account and change every January. Each one names its source and year in
 * `feeSource`, so a seller-facing screen (and an auditor) can tell where a figure came from.
 *
 * Seller-arranged shipping is deliberately absent: the platform buys no label there and so cannot
 * add a signature. That case is handled where quotes are made, not as a catalog service.
 */

export interface CatalogOption {
  option: SignatureOption;
  supported: boolean;
  /** Carrier-native code sent with the label: USPS extra service `921`, UPS `DCIS:2`, … */
  carrierCode: string | null;
  feeMinor: number;
  feeSource: string | null;
  unavailableReason: string | null;
}

export interface CatalogService {
  carrier: Carrier;
  code: string;
  name: string;
  international: boolean;
  transitDays: number;
  sortOrder: number;
  /** Always three entries, in the order NONE, SIGNATURE_REQUIRED, ADULT_SIGNATURE_REQUIRED. */
  options: readonly CatalogOption[];
}

// Fee sources: public page and year. Kept as constants so one correction reaches every service.
const USPS_SIGNATURE_GUIDE = 'https://theletterpilot.com/guides/usps-signature-required';
const USPS_SC_SOURCE = `Letter Pilot USPS signature guide, Jan 2025 (online price): ${USPS_SIGNATURE_GUIDE}`;
const USPS_ASR_SOURCE = `Letter Pilot USPS signature guide, Jan 2025: ${USPS_SIGNATURE_GUIDE}`;
const USPS_PME_SOURCE =
  'USPS FAQ: Priority Mail Express is signed for unless the sender waives it, 2019: ' +
  'https://faq.usps.com/articles/Knowledge/What-is-a-Waiver-of-Signature-What-is-Signature-Required';
const UPS_SIG_SOURCE =
  "D'Arrigo Consulting, UPS Signature Required 2026: " +
  'https://www.darrigoconsulting.com/blog/what-does-ups-signature-required-charge-mean';
const UPS_ADULT_SOURCE =
  'ShipMint, 2026 Signature Surcharges: https://goshipmint.com/resources/signature-required-options';

/** USPS Signature Confirmation, extra service 921: $3.95 online (Jan 2025). */
const USPS_SC_FEE = 395;
/** USPS Adult Signature Required (21+), extra service 922: $8.40 (Jan 2025). */
const USPS_ASR_FEE = 840;
/** UPS Delivery Confirmation, signature required (package DCIS 2): $7.70 (2026). */
const UPS_SIG_FEE = 770;
/** UPS Delivery Confirmation, adult signature required (package DCIS 3): $8.65 (2026). */
const UPS_ADULT_FEE = 865;

const none = (): CatalogOption => ({
  option: SignatureOption.NONE,
  supported: true,
  carrierCode: null,
  feeMinor: 0,
  feeSource: null,
  unavailableReason: null,
});

const offered = (
  option: SignatureOption,
  carrierCode: string,
  feeMinor: number,
  feeSource: string,
): CatalogOption => ({
  option,
  supported: true,
  carrierCode,
  feeMinor,
  feeSource,
  unavailableReason: null,
});

const unavailable = (option: SignatureOption, reason: string): CatalogOption => ({
  option,
  supported: false,
  carrierCode: null,
  feeMinor: 0,
  feeSource: null,
  unavailableReason: reason,
});

const { SIGNATURE_REQUIRED: SIG, ADULT_SIGNATURE_REQUIRED: ADULT } = SignatureOption;

const uspsStandardOptions = (): CatalogOption[] => [
  none(),
  offered(SIG, '921', USPS_SC_FEE, USPS_SC_SOURCE),
  offered(ADULT, '922', USPS_ASR_FEE, USPS_ASR_SOURCE),
];

const upsDomesticOptions = (): CatalogOption[] => [
  none(),
  offered(SIG, 'DCIS:2', UPS_SIG_FEE, UPS_SIG_SOURCE),
  offered(ADULT, 'DCIS:3', UPS_ADULT_FEE, UPS_ADULT_SOURCE),
];

const INTERNATIONAL_REASON =
  'USPS international services offer no signature service; the recipient country decides how the parcel is delivered.';
const GROUND_SAVER_REASON =
  'UPS Ground Saver is delivered the last mile by USPS, and a signature on it is not verified to work; choose UPS Ground or a USPS service instead.';

export const CARRIER_CATALOG: readonly CatalogService[] = [
  {
    carrier: Carrier.USPS,
    code: 'USPS_GROUND_ADVANTAGE',
    name: 'USPS Ground Advantage',
    international: false,
    transitDays: 5,
    sortOrder: 10,
    options: uspsStandardOptions(),
  },
  {
    carrier: Carrier.USPS,
    code: 'USPS_PRIORITY_MAIL',
    name: 'USPS Priority Mail',
    international: false,
    transitDays: 3,
    sortOrder: 20,
    options: uspsStandardOptions(),
  },
  {
    carrier: Carrier.USPS,
    code: 'USPS_PRIORITY_MAIL_EXPRESS',
    name: 'USPS Priority Mail Express',
    international: false,
    transitDays: 1,
    sortOrder: 30,
    options: [
      none(),
      // Express already gets a signature unless the sender waives it; 981 asks for it explicitly.
      offered(SIG, '981', 0, USPS_PME_SOURCE),
      offered(ADULT, '922', USPS_ASR_FEE, USPS_ASR_SOURCE),
    ],
  },
  {
    carrier: Carrier.USPS,
    code: 'USPS_MEDIA_MAIL',
    name: 'USPS Media Mail',
    international: false,
    transitDays: 8,
    sortOrder: 40,
    options: [
      none(),
      offered(SIG, '921', USPS_SC_FEE, USPS_SC_SOURCE),
      unavailable(
        ADULT,
        'USPS does not offer Adult Signature Required with Media Mail; use Ground Advantage or Priority Mail.',
      ),
    ],
  },
  {
    carrier: Carrier.USPS,
    code: 'USPS_PRIORITY_MAIL_INTERNATIONAL',
    name: 'USPS Priority Mail International',
    international: true,
    transitDays: 10,
    sortOrder: 50,
    options: [
      none(),
      unavailable(SIG, INTERNATIONAL_REASON),
      unavailable(ADULT, INTERNATIONAL_REASON),
    ],
  },
  {
    carrier: Carrier.UPS,
    code: 'UPS_GROUND',
    name: 'UPS Ground',
    international: false,
    transitDays: 4,
    sortOrder: 60,
    options: upsDomesticOptions(),
  },
  {
    carrier: Carrier.UPS,
    code: 'UPS_GROUND_SAVER',
    name: 'UPS Ground Saver',
    international: false,
    transitDays: 6,
    sortOrder: 65,
    options: [
      none(),
      unavailable(SIG, GROUND_SAVER_REASON),
      unavailable(ADULT, GROUND_SAVER_REASON),
    ],
  },
  {
    carrier: Carrier.UPS,
    code: 'UPS_2ND_DAY_AIR',
    name: 'UPS 2nd Day Air',
    international: false,
    transitDays: 2,
    sortOrder: 70,
    options: upsDomesticOptions(),
  },
  {
    carrier: Carrier.UPS,
    code: 'UPS_NEXT_DAY_AIR',
    name: 'UPS Next Day Air',
    international: false,
    transitDays: 1,
    sortOrder: 80,
    options: upsDomesticOptions(),
  },
];
