import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { ProofVerdict } from './enums';

/** One verdict a seller gave on a delivery proof; the latest is the proof's current verdict. */
@Entity('proof_verdicts')
@Index(['proofId', 'id'])
export class ProofVerdictRecord {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  proofId!: number;

  @Column({ type: 'varchar', length: 10 })
  verdict!: ProofVerdict;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note!: string | null;

  @Column({ type: 'integer' })
  byTokenId!: number;

  @Column({ ...TIMESTAMP })
  at!: Date;
}
