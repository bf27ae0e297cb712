import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { ClaimActor, ClaimStatus } from './enums';

/** One move of a claim: from where to where, who moved it (role and token) and when. */
@Entity('claim_transitions')
@Index(['claimId', 'id'])
export class ClaimTransition {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  claimId!: number;

  /** Null for the filing. */
  @Column({ type: 'varchar', length: 24, nullable: true })
  fromStatus!: ClaimStatus | null;

  @Column({ type: 'varchar', length: 24 })
  toStatus!: ClaimStatus;

  @Column({ type: 'varchar', length: 8 })
  actor!: ClaimActor;

  /** The API token that acted; null for SYSTEM. */
  @Column({ type: 'integer', nullable: true })
  actorTokenId!: number | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note!: string | null;

  @Column({ ...TIMESTAMP })
  at!: Date;
}
