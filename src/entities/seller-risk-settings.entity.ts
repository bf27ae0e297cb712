import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP } from './columns';

/** A seller's thresholds for the risk rules; absent rows mean the defaults. */
@Entity('seller_risk_settings')
export class SellerRiskSettings {
  @PrimaryColumn({ type: 'integer' })
  sellerId!: number;

  @Column({ type: 'integer' })
  highValueMinor!: number;

  @Column({ type: 'integer' })
  elevatedValueMinor!: number;

  /** Weighted score at or above which a signature is recommended. */
  @Column({ type: 'integer' })
  recommendScore!: number;

  /** Buyer accounts younger than this count as new. */
  @Column({ type: 'integer' })
  newAccountDays!: number;

  /**
   * Answer not-received claims automatically with the delivery proof when it passed every check
   * (see src/services/claims/evidence.ts); off until the seller turns it on.
   */
  @Column({ type: 'boolean', default: false })
  autoDefendClaims!: boolean;

  @Column({ ...TIMESTAMP })
  updatedAt!: Date;
}
