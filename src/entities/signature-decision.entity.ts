import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { SignatureDecisionOutcome, SignatureOption } from './enums';

/** What the seller did with the recommendation when buying a label. */
@Entity('signature_decisions')
@Index(['sellerId', 'createdAt'])
export class SignatureDecision {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  sellerId!: number;

  @Column({ type: 'integer' })
  orderId!: number;

  @Index()
  @Column({ type: 'integer' })
  labelId!: number;

  @Column({ type: 'integer', nullable: true })
  riskAssessmentId!: number | null;

  @Column({ type: 'varchar', length: 32 })
  recommended!: SignatureOption;

  @Column({ type: 'varchar', length: 32 })
  chosen!: SignatureOption;

  @Column({ type: 'varchar', length: 20 })
  outcome!: SignatureDecisionOutcome;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;
}
