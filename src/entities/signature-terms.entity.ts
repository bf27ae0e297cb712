import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP } from './columns';

/** A version of the signature-service terms sellers agree to once. */
@Entity('signature_terms')
export class SignatureTerms {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  version!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ ...TIMESTAMP })
  publishedAt!: Date;
}
