import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import type { ProofCheck } from './delivery-proof.entity';
import { ClaimOutcome, ClaimReason, ClaimStatus } from './enums';
import type { Carrier, ShipmentStatus, SignatureDecisionOutcome, SignatureOption } from './enums';

/**
 * What the claim was decided on, copied when it was filed: later carrier events or a later
 * verdict do not rewrite what staff and the automatic defence saw. Times are ISO strings.
 */
export interface ClaimEvidence {
  assembledAt: string;
  shipment: {
    shipmentId: number;
    carrier: Carrier;
    trackingNumber: string;
    status: ShipmentStatus;
    statusAt: string | null;
    estimatedDeliveryAt: string | null;
  } | null;
  label: {
    labelId: number;
    signatureOption: SignatureOption;
    signatureCarrierCode: string | null;
    purchasedAt: string;
  } | null;
  /** The seller's recorded decision on the recommended signature at purchase. */
  signatureDecision: {
    recommended: SignatureOption;
    chosen: SignatureOption;
    outcome: SignatureDecisionOutcome;
    decidedAt: string;
  } | null;
  proof: {
    proofId: number;
    signerName: string | null;
    signedAt: string | null;
    location: string | null;
    adultIdVerified: boolean | null;
    checks: ProofCheck[];
    flagged: boolean;
  } | null;
  tracking: Array<{
    status: ShipmentStatus;
    reason: string | null;
    description: string;
    location: string | null;
    occurredAt: string;
  }>;
  /** Why the evidence does not defend the claim on its own (empty: it does). */
  defenceExclusions: string[];
}

/**
 * A buyer's not-received claim on an order. One open claim per order: the partial unique index
 * holds it under concurrency on SQLite and PostgreSQL alike.
 */
@Entity('claims')
@Index('UQ_claims_open_order', ['orderId'], { unique: true, where: '"closedAt" IS NULL' })
@Index(['buyerId', 'filedAt'])
@Index(['sellerId', 'filedAt'])
@Index(['filedAt', 'id'])
export class Claim {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'integer' })
  orderId!: number;

  @Column({ type: 'integer' })
  sellerId!: number;

  @Column({ type: 'integer' })
  buyerId!: number;

  /** The order's live shipment and its label when the claim was filed; null if never labelled. */
  @Column({ type: 'integer', nullable: true })
  shipmentId!: number | null;

  @Column({ type: 'integer', nullable: true })
  labelId!: number | null;

  /** The ship-to address's fingerprint, so address history is one indexed lookup. */
  @Index()
  @Column({ type: 'varchar', length: 400 })
  shipToFingerprint!: string;

  @Column({ type: 'varchar', length: 32 })
  reason!: ClaimReason;

  /** The buyer's own words, if any. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 24 })
  status!: ClaimStatus;

  /** Set when the claim closes. */
  @Column({ type: 'varchar', length: 24, nullable: true })
  outcome!: ClaimOutcome | null;

  /** Refunded to the buyer, in minor units of `currency` (the order's); null unless refunded. */
  @Column({ type: 'integer', nullable: true })
  refundMinor!: number | null;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'simple-json' })
  evidence!: ClaimEvidence;

  /** Countersign answered for the seller from the evidence (automatic defence). */
  @Column({ type: 'boolean', default: false })
  answeredAutomatically!: boolean;

  @Column({ ...TIMESTAMP })
  filedAt!: Date;

  /** The seller answers before this; afterwards only staff decide. */
  @Column({ ...TIMESTAMP })
  sellerDeadlineAt!: Date;

  /** When the claim closed (REFUNDED, RESHIPPED, RESOLVED_*); null while open. */
  @Column({ ...TIMESTAMP, nullable: true })
  closedAt!: Date | null;

  @Column({ ...TIMESTAMP })
  updatedAt!: Date;
}
