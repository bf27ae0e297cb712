import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { SignatureOption } from './enums';
import type { Protection } from '../services/protection/rules';
import type { ExpectedValue } from '../services/protection/expected-value';

export interface QuotedOption {
  option: SignatureOption;
  supported: boolean;
  unavailableReason: string | null;
  carrierCode: string | null;
  feeMinor: number;
  /** Postage plus fee, as it would be charged. */
  totalMinor: number;
  /** The option the order's risk assessment recommended when the quote was made. */
  isRecommended: boolean;
  /** A signature option the seller had not yet agreed to the current terms for. */
  requiresTermsAcceptance: boolean;
  /** Whether a not-received claim would be protected were this bought; absent on older quotes. */
  protection?: Protection;
  /** The fee beside the value at risk; absent on older quotes. */
  expectedValue?: ExpectedValue;
}

export interface QuotedRate {
  /** Stable within the quote. */
  rateId: string;
  serviceId: number;
  serviceCode: string;
  carrier: string;
  basePostageMinor: number;
  estimatedDays: number;
  options: QuotedOption[];
  /** Whether the service may carry the order's goods; absent on quotes made before the rule. */
  eligible?: boolean;
  /** Why not (src/core/contents-eligibility.ts); null when eligible. */
  ineligibleReason?: string | null;
}

export interface QuotedParcel {
  weightOz: number;
  lengthIn: number;
  widthIn: number;
  heightIn: number;
}

/** Prices for one order, locked until `expiresAt`. */
@Entity('label_quotes')
export class LabelQuote {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'integer' })
  orderId!: number;

  @Column({ type: 'integer' })
  sellerId!: number;

  /**
   * The location the rates are from and its address at quoting time (its postal code set the
   * zone); the label ships from them. Null only on quotes made before locations existed.
   */
  @Column({ type: 'integer', nullable: true })
  shipFromLocationId!: number | null;

  @Column({ type: 'integer', nullable: true })
  shipFromAddressId!: number | null;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'simple-json' })
  parcel!: QuotedParcel;

  @Column({ type: 'simple-json' })
  rates!: QuotedRate[];

  /** What the risk assessment recommended when the quote was made. */
  @Column({ type: 'varchar', length: 32 })
  recommendedSignature!: SignatureOption;

  @Column({ type: 'integer', nullable: true })
  riskAssessmentId!: number | null;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;

  @Column({ ...TIMESTAMP })
  expiresAt!: Date;
}
