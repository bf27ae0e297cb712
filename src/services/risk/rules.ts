import { ShippingSpeed, SignatureOption } from '../../entities/enums';
import { formatMinor } from '../../core/money';
import { RiskReasonCode } from './reason-codes';
import { matchReshipper } from './reshippers';
import { THRESHOLD_CURRENCY } from './settings';
import type { RiskThresholds } from './settings';

/**
 * The rules, each a pure function of the input snapshot and the seller's thresholds. The weights
 * are a first-version scoring: a value at or above the eBay signature threshold or earlier
 * not-received claims weigh most, signals that only make a loss likelier weigh less. Changing
 * one is a new RULESET_VERSION.
 */

/** Everything the rules look at, captured when the order is assessed (and stored with it). */
export interface RiskInput {
  currency: string;
  /** What the buyer paid, shipping and tax included (the eBay / PayPal basis). */
  totalMinor: number;
  items: Array<{ sku: string; quantity: number; ageRestricted: boolean }>;
  shippingSpeed: ShippingSpeed;
  addressChangedAfterCheckout: boolean;
  onHold: boolean;
  buyer: {
    /** Whole days since the account was opened. */
    accountAgeDays: number;
    /** Not-received claims this buyer filed before, on any seller's order (from the claims). */
    notReceivedClaims: number;
    /** Of those, how many staff decided for the seller: the delivery proof stood. */
    claimsDecidedForSeller: number;
  };
  shipTo: {
    line1: string;
    line2: string | null;
    postalCode: string;
    region: string;
    country: string;
    /** Not-received claims filed by other buyers who have shipped to the same address. */
    otherBuyersClaims: number;
    /** Distinct buyers (this one included) with orders to the same address. */
    distinctBuyers: number;
  };
  billing: { region: string; country: string };
}

export interface RuleHit {
  code: RiskReasonCode;
  weight: number;
  message: string;
  /** The rule alone makes the order HIGH. */
  forcesHigh?: boolean;
  /** The rule alone decides the recommended option. */
  requires?: SignatureOption;
}

export type Rule = (input: RiskInput, t: RiskThresholds) => RuleHit | null;

export const WEIGHTS: Readonly<Record<RiskReasonCode, number>> = Object.freeze({
  // A legal duty rather than a loss signal: it sets the option without adding to the score.
  [RiskReasonCode.AGE_RESTRICTED_ITEM]: 0,
  [RiskReasonCode.ORDER_VALUE_HIGH]: 50,
  [RiskReasonCode.PRIOR_NOT_RECEIVED_CLAIMS]: 50,
  [RiskReasonCode.ORDER_VALUE_ELEVATED]: 15,
  [RiskReasonCode.ADDRESS_CHANGED_AFTER_CHECKOUT]: 25,
  [RiskReasonCode.PLATFORM_HOLD]: 20,
  [RiskReasonCode.NEW_BUYER_LARGE_ORDER]: 20,
  [RiskReasonCode.SHARED_SHIP_TO]: 15,
  [RiskReasonCode.RESHIPPER_ADDRESS]: 10,
  [RiskReasonCode.RUSH_SHIPPING_NEW_ACCOUNT]: 10,
  [RiskReasonCode.BILLING_SHIPPING_MISMATCH]: 10,
});

/** Buyers (this one included) at one address from which it counts as a shared drop point. */
export const SHARED_SHIP_TO_MIN_BUYERS = 3;

const money = (minor: number, currency: string) => `${currency} ${formatMinor(minor)}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const hit = (code: RiskReasonCode, message: string, extra: Partial<RuleHit> = {}): RuleHit => ({
  code,
  weight: WEIGHTS[code],
  message,
  ...extra,
});
const isNewAccount = (input: RiskInput, t: RiskThresholds) =>
  input.buyer.accountAgeDays < t.newAccountDays;
/**
 * The value thresholds are THRESHOLD_CURRENCY amounts: an order in another currency cannot be
 * compared with them without a rate, so the value rules leave it out (no reason, no weight).
 */
const comparableValue = (input: RiskInput) => input.currency === THRESHOLD_CURRENCY;

export const ageRestrictedItem: Rule = (input) => {
  const skus = input.items.filter((i) => i.ageRestricted).map((i) => i.sku);
  if (skus.length === 0) return null;
  return hit(
    RiskReasonCode.AGE_RESTRICTED_ITEM,
    `${plural(skus.length, 'item')} of ${input.items.length} ${skus.length === 1 ? 'is' : 'are'} ` +
      `age-restricted (${skus.join(', ')}): the carrier must check that the recipient is 21 or older.`,
    // HIGH, so the order is in the sellers' "needs a signature" view (riskLevel: HIGH) by default.
    { requires: SignatureOption.ADULT_SIGNATURE_REQUIRED, forcesHigh: true },
  );
};

export const orderValueHigh: Rule = (input, t) =>
  comparableValue(input) && input.totalMinor >= t.highValueMinor
    ? hit(
        RiskReasonCode.ORDER_VALUE_HIGH,
        `Order total ${money(input.totalMinor, input.currency)} is at or above the high-value ` +
          `threshold of ${money(t.highValueMinor, input.currency)}.`,
        { forcesHigh: true },
      )
    : null;

export const priorNotReceivedClaims: Rule = (input) => {
  const own = input.buyer.notReceivedClaims;
  const denied = input.buyer.claimsDecidedForSeller;
  const others = input.shipTo.otherBuyersClaims;
  if (own <= 0 && others <= 0) return null;
  const decided = denied > 0 ? ` (${denied} decided for the seller on the delivery proof)` : '';
  const parts = [
    own > 0 ? `the buyer has filed ${plural(own, 'earlier not-received claim')}${decided}` : null,
    others > 0
      ? `other buyers shipping to this address have filed ${plural(others, 'not-received claim')}`
      : null,
  ].filter((p): p is string => p !== null);
  const text = parts.join(', and ');
  return hit(
    RiskReasonCode.PRIOR_NOT_RECEIVED_CLAIMS,
    `${text.charAt(0).toUpperCase()}${text.slice(1)}.`,
    { forcesHigh: true },
  );
};

export const orderValueElevated: Rule = (input, t) =>
  // Below the high threshold only: a high-value order is already HIGH for its value.
  comparableValue(input) &&
  input.totalMinor >= t.elevatedValueMinor &&
  input.totalMinor < t.highValueMinor
    ? hit(
        RiskReasonCode.ORDER_VALUE_ELEVATED,
        `Order total ${money(input.totalMinor, input.currency)} is at or above ` +
          `${money(t.elevatedValueMinor, input.currency)}, above which marketplaces stop ` +
          'absorbing not-received losses.',
      )
    : null;

export const addressChangedAfterCheckout: Rule = (input) =>
  input.addressChangedAfterCheckout
    ? hit(
        RiskReasonCode.ADDRESS_CHANGED_AFTER_CHECKOUT,
        'The ship-to address was changed after payment.',
      )
    : null;

export const platformHold: Rule = (input) =>
  input.onHold ? hit(RiskReasonCode.PLATFORM_HOLD, 'The platform put this order on hold.') : null;

export const newBuyerLargeOrder: Rule = (input, t) =>
  comparableValue(input) && isNewAccount(input, t) && input.totalMinor >= t.elevatedValueMinor
    ? hit(
        RiskReasonCode.NEW_BUYER_LARGE_ORDER,
        `The buyer's account is ${plural(input.buyer.accountAgeDays, 'day')} old and the order ` +
          `is ${money(input.totalMinor, input.currency)}.`,
      )
    : null;

export const sharedShipTo: Rule = (input) =>
  input.shipTo.distinctBuyers >= SHARED_SHIP_TO_MIN_BUYERS
    ? hit(
        RiskReasonCode.SHARED_SHIP_TO,
        `${input.shipTo.distinctBuyers} different buyers ship to this address.`,
      )
    : null;

export const reshipperAddress: Rule = (input) => {
  const marker = matchReshipper(input.shipTo);
  return marker
    ? hit(
        RiskReasonCode.RESHIPPER_ADDRESS,
        `The ship-to address looks like a parcel forwarder (${marker.description}); whoever ` +
          'signs there is the forwarder, not the buyer.',
      )
    : null;
};

export const rushShippingNewAccount: Rule = (input, t) =>
  isNewAccount(input, t) && input.shippingSpeed !== ShippingSpeed.STANDARD
    ? hit(
        RiskReasonCode.RUSH_SHIPPING_NEW_ACCOUNT,
        `${input.shippingSpeed === ShippingSpeed.OVERNIGHT ? 'Overnight' : 'Expedited'} shipping ` +
          `on an account ${plural(input.buyer.accountAgeDays, 'day')} old.`,
      )
    : null;

export const billingShippingMismatch: Rule = (input) => {
  const { shipTo, billing } = input;
  if (shipTo.country === billing.country && shipTo.region === billing.region) return null;
  const where = (a: { region: string; country: string }) =>
    a.country === 'US' ? a.region : `${a.region}, ${a.country}`;
  return hit(
    RiskReasonCode.BILLING_SHIPPING_MISMATCH,
    `The parcel ships to ${where(shipTo)} while the billing address is in ${where(billing)}.`,
  );
};

/** Every rule, in the order its reasons are listed: deciding rules first. */
export const RULES: readonly Rule[] = [
  ageRestrictedItem,
  orderValueHigh,
  priorNotReceivedClaims,
  orderValueElevated,
  addressChangedAfterCheckout,
  platformHold,
  newBuyerLargeOrder,
  sharedShipTo,
  reshipperAddress,
  rushShippingNewAccount,
  billingShippingMismatch,
];
