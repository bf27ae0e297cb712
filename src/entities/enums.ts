/** Domain enumerations shared by entities, services and the GraphQL schema. */

export enum Role {
  SELLER = 'SELLER',
  BUYER = 'BUYER',
  ADMIN = 'ADMIN',
  PLATFORM = 'PLATFORM',
}

/** What an idempotent upsert did. */
export enum UpsertOutcome {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  /** The same input again: nothing was written. */
  UNCHANGED = 'UNCHANGED',
}

export enum OrderStatus {
  AWAITING_SHIPMENT = 'AWAITING_SHIPMENT',
  LABEL_PURCHASED = 'LABEL_PURCHASED',
  IN_TRANSIT = 'IN_TRANSIT',
  DELIVERED = 'DELIVERED',
  CANCELLED = 'CANCELLED',
}

export enum ShippingSpeed {
  STANDARD = 'STANDARD',
  EXPEDITED = 'EXPEDITED',
  OVERNIGHT = 'OVERNIGHT',
}

export enum Carrier {
  UPS = 'UPS',
  USPS = 'USPS',
}

export enum SignatureOption {
  NONE = 'NONE',
  SIGNATURE_REQUIRED = 'SIGNATURE_REQUIRED',
  ADULT_SIGNATURE_REQUIRED = 'ADULT_SIGNATURE_REQUIRED',
}

export enum RiskLevel {
  LOW = 'LOW',
  ELEVATED = 'ELEVATED',
  HIGH = 'HIGH',
}

export enum ShipmentStatus {
  LABEL_CREATED = 'LABEL_CREATED',
  IN_TRANSIT = 'IN_TRANSIT',
  OUT_FOR_DELIVERY = 'OUT_FOR_DELIVERY',
  DELIVERY_ATTEMPTED = 'DELIVERY_ATTEMPTED',
  AVAILABLE_FOR_PICKUP = 'AVAILABLE_FOR_PICKUP',
  DELIVERED = 'DELIVERED',
  RETURN_TO_SENDER = 'RETURN_TO_SENDER',
  EXCEPTION = 'EXCEPTION',
  CANCELLED = 'CANCELLED',
}

export enum LabelStatus {
  PURCHASED = 'PURCHASED',
  VOIDED = 'VOIDED',
}

export enum ChargeKind {
  POSTAGE = 'POSTAGE',
  SIGNATURE_FEE = 'SIGNATURE_FEE',
  REFUND = 'REFUND',
}

export enum SignatureDecisionOutcome {
  /** The seller bought the recommended option. */
  ACCEPTED = 'ACCEPTED',
  /** A signature was recommended and the seller bought none. */
  DECLINED = 'DECLINED',
  /** The seller bought a signature option other than the recommended one. */
  CHANGED = 'CHANGED',
  /** Nothing was recommended. */
  NOT_RECOMMENDED = 'NOT_RECOMMENDED',
}

export enum NotificationKind {
  SIGNATURE_REQUIRED = 'SIGNATURE_REQUIRED',
  DELIVERY_ATTEMPT_SIGNATURE_UNAVAILABLE = 'DELIVERY_ATTEMPT_SIGNATURE_UNAVAILABLE',
  DELIVERED_SIGNED = 'DELIVERED_SIGNED',
  /** The label was voided after the buyer was told a signature would be needed. */
  LABEL_VOIDED = 'LABEL_VOIDED',
  /** The carrier holds the parcel at a post office or access point for the buyer to collect. */
  AVAILABLE_FOR_PICKUP = 'AVAILABLE_FOR_PICKUP',
  /** The carrier is sending the parcel back to the seller. */
  RETURNED_TO_SENDER = 'RETURNED_TO_SENDER',
  /** The buyer's not-received claim moved: the seller (or Countersign for it) or staff acted. */
  CLAIM_UPDATED = 'CLAIM_UPDATED',
}

/** How one try at sending a notification ended (see NotificationAttempt). */
export enum NotificationAttemptOutcome {
  SENT = 'SENT',
  /** The channel already had it (a retry after a crash): not sent again. */
  ALREADY_SENT = 'ALREADY_SENT',
  /** Failed; the outbox tries again after a delay. */
  RETRY = 'RETRY',
  /** Failed for good: the last attempt, or a failure the channel called permanent. */
  FAILED = 'FAILED',
}

export enum NotificationChannel {
  EMAIL = 'EMAIL',
  SMS = 'SMS',
  PUSH = 'PUSH',
}

export enum NotificationStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
  /** Withdrawn before delivery (its label was voided); the worker never sends it. */
  CANCELLED = 'CANCELLED',
}

export enum ProofVerdict {
  CONFIRMED = 'CONFIRMED',
  DISPUTED = 'DISPUTED',
}

/** The printable forms of a label. */
export enum LabelDocumentFormat {
  /** 4×6 in PDF. */
  PDF = 'PDF',
  /** 4×6 in PNG at 203 dpi. */
  PNG = 'PNG',
  /** ZPL II for 203-dpi thermal printers. */
  ZPL = 'ZPL',
}

/** What a carrier operation asks the carrier for. */
export enum CarrierOperationKind {
  PURCHASE = 'PURCHASE',
  VOID = 'VOID',
}

/**
 * Where a carrier operation stands. PENDING: recorded before the carrier call, not resolved yet.
 * VOIDING (purchases): the label the carrier sold must go back (the purchase did not commit).
 * COMPLETED: the label (or the void) is committed. VOIDED: the carrier took the label back.
 * FAILED: the carrier refused; nothing was sold (or voided).
 */
export enum CarrierOperationStatus {
  PENDING = 'PENDING',
  VOIDING = 'VOIDING',
  COMPLETED = 'COMPLETED',
  VOIDED = 'VOIDED',
  FAILED = 'FAILED',
}

/** Where a label batch stands: QUEUED (no item taken yet), RUNNING, COMPLETED (merged PDF made). */
export enum LabelBatchStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
}

/** Where one item of a label batch stands. */
export enum LabelBatchItemStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

/** How a batch item without an explicit rate picks one from a fresh quote. */
export enum LabelBatchRule {
  /** The cheapest eligible rate whose recommended signature option is supported, bought with it. */
  CHEAPEST_SUPPORTING_RECOMMENDED = 'CHEAPEST_SUPPORTING_RECOMMENDED',
}

/** Whether an outgoing webhook endpoint receives deliveries. */
export enum WebhookEndpointStatus {
  ACTIVE = 'ACTIVE',
  /** Turned off after persistent delivery failures (see `disabledReason`). */
  DISABLED = 'DISABLED',
}

/** Where one event's delivery to one endpoint stands. */
export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

/** Why a buyer says an order did not reach them. */
export enum ClaimReason {
  /** Nothing arrived (and tracking may not say delivered). */
  NOT_RECEIVED = 'NOT_RECEIVED',
  /** Tracking says delivered, the buyer says it did not reach them. */
  DELIVERED_NOT_RECEIVED = 'DELIVERED_NOT_RECEIVED',
  /** An adult signature was bought but the carrier handed it over without checking ID. */
  ADULT_ID_NOT_CHECKED = 'ADULT_ID_NOT_CHECKED',
}

/**
 * Where a claim stands (see src/services/claims/claim-machine.ts for the moves):
 * AWAITING_SELLER → SELLER_RESPONDED (proof submitted) → RESOLVED_FOR_SELLER / RESOLVED_FOR_BUYER
 * by staff; AWAITING_SELLER → REFUNDED / RESHIPPED by the seller; staff may decide at any open
 * status. REFUNDED, RESHIPPED and RESOLVED_* close the claim.
 */
export enum ClaimStatus {
  AWAITING_SELLER = 'AWAITING_SELLER',
  SELLER_RESPONDED = 'SELLER_RESPONDED',
  REFUNDED = 'REFUNDED',
  RESHIPPED = 'RESHIPPED',
  RESOLVED_FOR_SELLER = 'RESOLVED_FOR_SELLER',
  RESOLVED_FOR_BUYER = 'RESOLVED_FOR_BUYER',
}

/** How a closed claim ended for the money: nothing paid, a refund, or a second shipment. */
export enum ClaimOutcome {
  RESOLVED_FOR_SELLER = 'RESOLVED_FOR_SELLER',
  REFUNDED = 'REFUNDED',
  RESHIPPED = 'RESHIPPED',
}

/** Who moved a claim: its buyer, its seller, platform staff, or Countersign itself. */
export enum ClaimActor {
  BUYER = 'BUYER',
  SELLER = 'SELLER',
  ADMIN = 'ADMIN',
  /** Automatic defence: the answer Countersign gives for the seller from passed proof. */
  SYSTEM = 'SYSTEM',
}

/** Where a carrier inquiry about a disputed delivery stands. */
export enum CarrierInquiryStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
