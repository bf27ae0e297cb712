import { registerEnumType } from 'type-graphql';
import { UserErrorCode } from '../core/user-error';

registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why a mutation did not do what was asked.',
  valuesConfig: {
    INVALID_ID: { description: 'An id is malformed or names another type of object.' },
    INVALID_INPUT: { description: 'An input value is out of range or malformed.' },
    ORDER_NOT_FOUND: { description: 'No such order visible to you.' },
    QUOTE_NOT_FOUND: { description: 'No such label quote visible to you.' },
    QUOTE_EXPIRED: {
      description: "The quote's 15-minute price lock has passed; request a new quote.",
    },
    RATE_NOT_FOUND: { description: 'The rate is not part of this quote.' },
    SIGNATURE_NOT_SUPPORTED: {
      description:
        'The chosen service cannot carry this signature option; the message names services that can.',
    },
    CONTENTS_NOT_ELIGIBLE: {
      description:
        "The chosen service may not carry the order's goods (Media Mail for non-media, USPS for alcohol or vapes, age-restricted goods without an adult signature); the rate's `ineligibleReason` says which rule.",
    },
    SIGNATURE_TERMS_NOT_ACCEPTED: {
      description:
        'Accept the current signature terms (see `signatureTerms`) before buying a signature option.',
    },
    TERMS_VERSION_NOT_CURRENT: {
      description: 'The terms version accepted is not the current one.',
    },
    ORDER_ALREADY_LABELED: { description: 'The order already has an active label; void it first.' },
    ORDER_NOT_SHIPPABLE: {
      description: 'The order is cancelled: nothing ships, so no label can be quoted or bought.',
    },
    IDEMPOTENCY_KEY_REUSED: {
      description: 'This idempotency key was used with a different input.',
    },
    IDEMPOTENCY_REQUEST_IN_PROGRESS: {
      description: 'A request with this idempotency key is still running; retry shortly.',
    },
    LABEL_NOT_FOUND: { description: 'No such label visible to you.' },
    LABEL_NOT_VOIDABLE: {
      description: 'The label is already void, or the carrier has scanned the parcel.',
    },
    CARRIER_UNAVAILABLE: {
      description:
        'The carrier failed or did not answer in time; nothing was bought, voided or charged. Retry (a purchase with the same idempotencyKey: it was not used up).',
    },
    CURRENCY_NOT_SUPPORTED: {
      description:
        "The order's currency is not the one the carrier catalog prices postage and fees in, so no label can be quoted.",
    },
    PROOF_NOT_FOUND: { description: 'No such delivery proof visible to you.' },
    WRITE_CONFLICT: {
      description:
        'Another write conflicted with this one; everything was rolled back (nothing bought, voided or charged). Retry.',
    },
    WEBHOOK_URL_NOT_ALLOWED: {
      description:
        'The webhook URL is not https, or its host resolves to a loopback, link-local or private address.',
    },
    WEBHOOK_ENDPOINT_NOT_FOUND: { description: 'No such webhook endpoint visible to you.' },
    WEBHOOK_ENDPOINT_DISABLED: {
      description: 'The endpoint was disabled after persistent failures; register it again.',
    },
    WEBHOOK_DELIVERY_NOT_FOUND: { description: 'No such webhook delivery visible to you.' },
    CLAIM_NOT_FOUND: { description: 'No such claim visible to you.' },
    ORDER_NOT_CLAIMABLE: {
      description:
        'The order is neither delivered nor overdue (or its shipment was cancelled or is returning), so no not-received claim can be filed yet.',
    },
    CLAIM_WINDOW_CLOSED: {
      description:
        'The filing window (CLAIM_FILING_WINDOW_DAYS after delivery or after the order became overdue) has passed.',
    },
    CLAIM_ALREADY_OPEN: { description: 'The order already has an open claim.' },
    CLAIM_DEADLINE_PASSED: {
      description: "The seller's response deadline has passed; platform staff decide the claim.",
    },
    CLAIM_TRANSITION_NOT_ALLOWED: {
      description:
        'The claim cannot move this way from its current status (e.g. it is closed, or the seller already answered).',
    },
    NO_DELIVERY_PROOF: {
      description: 'There is no delivery proof to submit for this claim.',
    },
    SELLER_NOT_FOUND: { description: 'No seller has this id.' },
    BUYER_NOT_FOUND: { description: 'No buyer has this id.' },
    ORDER_NUMBER_TAKEN: {
      description: 'Another order from the same source already has this order number.',
    },
    TOO_MANY_ORDERS: { description: 'An import takes 1 to 100 orders; nothing was written.' },
    ORDER_NOT_CANCELLABLE: {
      description: 'A label exists (or the order is already cancelled or delivered).',
    },
    API_TOKEN_NOT_FOUND: { description: 'No API token has this id.' },
    SHIP_FROM_LOCATION_NOT_FOUND: {
      description: 'The seller has no ship-from location with this id.',
    },
    NO_SHIP_FROM_LOCATION: {
      description: 'The seller has no ship-from location yet: upsertSeller gives it one.',
    },
  },
});
