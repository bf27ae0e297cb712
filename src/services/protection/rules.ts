import { formatMinor } from '../../core/money';
import { SignatureOption } from '../../entities/enums';
import { RiskReasonCode } from '../risk/reason-codes';
import { matchReshipper } from '../risk/reshippers';
import type { ReshipperAddress } from '../risk/reshippers';

/**
 * Seller protection: whether a not-received claim on a label (or on a quote option, were it
 * bought) would be decided for the seller, and if not, why. Pure functions of a snapshot, like the
 * risk rules; changing a rule, threshold or message is a new PROTECTION_RULES_VERSION.
 *
 * The model is the marketplaces' own: eBay protects sellers against "item not received" when
 * tracking shows delivery, and from an order total of USD 750 (shipping and tax included) only
 * with signature confirmation
 * (https://www.ebay.com/help/selling/managing-returns-refunds/helping-buyers-items-not-received?id=4116,
 * thresholds per currency in https://www.ebay.com.my/help/policies/member-behaviour-policies/signature-confirmation-policy?id=5154);
 * Amazon Buy Shipping marks rates CLAIMS_PROTECTED and lists exclusion reasons
 * (Selling Partner API, Merchant Fulfillment v0). A signature is evidence, not proof of who
 * received the parcel, so a forwarder's staff signing, a signer who is not the recipient or an
 * address changed after the label leave the seller unprotected.
 */
export const PROTECTION_RULES_VERSION = '2026-12.1';

export enum ProtectionExclusionCode {
  /** No signature on an order at or above the marketplace's signature threshold. */
  NO_SIGNATURE_HIGH_VALUE = 'NO_SIGNATURE_HIGH_VALUE',
  /** Age-restricted goods without Adult Signature Required (21+). */
  ADULT_SIGNATURE_REQUIRED = 'ADULT_SIGNATURE_REQUIRED',
  /** The ship-to is a parcel forwarder: whoever signs there is its staff, not the buyer. */
  FORWARDER_ADDRESS = 'FORWARDER_ADDRESS',
  /** The ship-to changed after the label was bought: the label went to another address. */
  ADDRESS_CHANGED_AFTER_LABEL = 'ADDRESS_CHANGED_AFTER_LABEL',
  /** A signature was bought but the carrier delivered without one. */
  SIGNATURE_NOT_CAPTURED = 'SIGNATURE_NOT_CAPTURED',
  /** The signer's name does not match the recipient's. */
  SIGNER_MISMATCH = 'SIGNER_MISMATCH',
  /** Adult signature was bought but the carrier reported no ID check showing 21+. */
  ADULT_ID_NOT_VERIFIED = 'ADULT_ID_NOT_VERIFIED',
}

/**
 * Order totals (minor units) from which eBay asks for signature confirmation, per currency, as
 * its signature confirmation policy lists them. An order in a currency not listed is compared
 * with nothing (no exclusion for its value).
 */
export const SIGNATURE_THRESHOLDS_MINOR: Readonly<Record<string, number>> = Object.freeze({
  USD: 75_000,
  CAD: 75_000,
  AUD: 75_000,
  GBP: 45_000,
  EUR: 55_000,
  CHF: 70_000,
});

/** What the carrier reported at delivery; null while the parcel is not delivered. */
export interface DeliveryFacts {
  signatureCaptured: boolean;
  /** Whether the signer's name matches the recipient's; null when nobody signed. */
  signerMatches: boolean | null;
  /** For adult signature: whether ID showing 21+ was checked; null when not reported. */
  adultIdVerified: boolean | null;
}

/** Everything the protection rules look at. */
export interface ProtectionInput {
  currency: string;
  /** What the buyer paid, shipping and tax included (what a refund gives back). */
  orderTotalMinor: number;
  /** The option of the quote option or the label. */
  signature: SignatureOption;
  /** Any line item is age-restricted. */
  ageRestricted: boolean;
  shipTo: ReshipperAddress;
  /** Reason codes of the order's risk assessment (a RESHIPPER_ADDRESS reason counts). */
  riskReasonCodes: readonly string[];
  /** The ship-to differs from the one the label was bought for; false before a label. */
  shipToChangedAfterLabel: boolean;
  delivery: DeliveryFacts | null;
}

export interface ProtectionExclusion {
  code: ProtectionExclusionCode;
  message: string;
}

export interface Protection {
  protected: boolean;
  exclusions: ProtectionExclusion[];
  rulesVersion: string;
}

export type ProtectionRule = (input: ProtectionInput) => ProtectionExclusion | null;

const exclusion = (code: ProtectionExclusionCode, message: string): ProtectionExclusion => ({
  code,
  message,
});

export const noSignatureHighValue: ProtectionRule = (input) => {
  const threshold = SIGNATURE_THRESHOLDS_MINOR[input.currency];
  if (threshold === undefined || input.signature !== SignatureOption.NONE) return null;
  if (input.orderTotalMinor < threshold) return null;
  return exclusion(
    ProtectionExclusionCode.NO_SIGNATURE_HIGH_VALUE,
    `The order total ${input.currency} ${formatMinor(input.orderTotalMinor)} is at or above ` +
      `${input.currency} ${formatMinor(threshold)}, from which eBay protects sellers against ` +
      '"item not received" only with signature confirmation; this label has none.',
  );
};

export const adultSignatureRequired: ProtectionRule = (input) =>
  input.ageRestricted && input.signature !== SignatureOption.ADULT_SIGNATURE_REQUIRED
    ? exclusion(
        ProtectionExclusionCode.ADULT_SIGNATURE_REQUIRED,
        'The order holds age-restricted goods, which carriers deliver only with Adult ' +
          'Signature Required (21+, ID checked); without it the delivery itself breaks the rules.',
      )
    : null;

export const forwarderAddress: ProtectionRule = (input) => {
  const marker = matchReshipper(input.shipTo);
  if (!marker && !input.riskReasonCodes.includes(RiskReasonCode.RESHIPPER_ADDRESS)) return null;
  return exclusion(
    ProtectionExclusionCode.FORWARDER_ADDRESS,
    `The ship-to is a parcel forwarder${marker ? ` (${marker.description})` : ''}: a signature ` +
      "there is the forwarder's staff, which proves nothing about the buyer receiving it.",
  );
};

export const addressChangedAfterLabel: ProtectionRule = (input) =>
  input.shipToChangedAfterLabel
    ? exclusion(
        ProtectionExclusionCode.ADDRESS_CHANGED_AFTER_LABEL,
        "The order's ship-to changed after the label was bought: the parcel went to an " +
          'address the buyer no longer gives.',
      )
    : null;

export const signatureNotCaptured: ProtectionRule = (input) =>
  input.delivery && input.signature !== SignatureOption.NONE && !input.delivery.signatureCaptured
    ? exclusion(
        ProtectionExclusionCode.SIGNATURE_NOT_CAPTURED,
        'A signature was bought but the carrier delivered without capturing one.',
      )
    : null;

export const signerMismatch: ProtectionRule = (input) =>
  input.delivery?.signatureCaptured && input.delivery.signerMatches === false
    ? exclusion(
        ProtectionExclusionCode.SIGNER_MISMATCH,
        "The signer's name does not match the recipient's: the signature shows someone signed, " +
          'not that the buyer received it.',
      )
    : null;

export const adultIdNotVerified: ProtectionRule = (input) =>
  input.delivery?.signatureCaptured &&
  input.signature === SignatureOption.ADULT_SIGNATURE_REQUIRED &&
  input.delivery.adultIdVerified !== true
    ? exclusion(
        ProtectionExclusionCode.ADULT_ID_NOT_VERIFIED,
        'Adult Signature Required (21+) was bought but the carrier reported no ID check ' +
          'showing the signer is 21 or older.',
      )
    : null;

/** Every rule, in the order its exclusions are listed: what the purchase decided first. */
export const PROTECTION_RULES: readonly ProtectionRule[] = [
  noSignatureHighValue,
  adultSignatureRequired,
  forwarderAddress,
  addressChangedAfterLabel,
  signatureNotCaptured,
  signerMismatch,
  adultIdNotVerified,
];

/** Deterministic: protected exactly when no rule excludes the claim. */
export function assessProtection(input: ProtectionInput): Protection {
  const exclusions = PROTECTION_RULES.map((rule) => rule(input)).filter((e) => e !== null);
  return {
    protected: exclusions.length === 0,
    exclusions,
    rulesVersion: PROTECTION_RULES_VERSION,
  };
}
