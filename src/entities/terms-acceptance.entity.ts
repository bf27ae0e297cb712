import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TIMESTAMP } from './columns';

@Entity('terms_acceptances')
@Unique(['sellerId', 'termsVersion'])
export class TermsAcceptance {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  sellerId!: number;

  @Column({ type: 'varchar', length: 20 })
  termsVersion!: string;

  /** The API token (person or integration) that accepted. */
  @Column({ type: 'integer' })
  acceptedByTokenId!: number;

  @Column({ ...TIMESTAMP })
  acceptedAt!: Date;
}
