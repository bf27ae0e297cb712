import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { RiskLevel, SignatureOption } from './enums';

export interface RiskReason {
  code: string;
  message: string;
  weight: number;
}

/** One evaluation of an order's risk, kept with its inputs and rule-set version for audit. */
@Entity('risk_assessments')
@Index(['orderId', 'isCurrent'])
export class RiskAssessment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  orderId!: number;

  @Column({ type: 'integer' })
  sellerId!: number;

  @Column({ type: 'integer' })
  score!: number;

  @Column({ type: 'varchar', length: 10 })
  level!: RiskLevel;

  @Column({ type: 'simple-json' })
  reasons!: RiskReason[];

  @Column({ type: 'varchar', length: 32 })
  recommendedSignature!: SignatureOption;

  @Column({ type: 'varchar', length: 20 })
  rulesetVersion!: string;

  /** Everything the rules looked at, including the seller's thresholds at the time. */
  @Column({ type: 'simple-json' })
  inputs!: Record<string, unknown>;

  /** The latest assessment of the order; older ones stay for audit. */
  @Column({ type: 'boolean' })
  isCurrent!: boolean;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;
}
