import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { ProofVerdict } from './enums';

export interface ProofCheck {
  code: string;
  passed: boolean;
  message: string;
}

@Entity('delivery_proofs')
export class DeliveryProof {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer', unique: true })
  shipmentId!: number;

  @Column({ type: 'integer' })
  orderId!: number;

  @Column({ type: 'integer' })
  sellerId!: number;

  @Column({ type: 'varchar', length: 120, nullable: true })
  signerName!: string | null;

  @Column({ ...TIMESTAMP, nullable: true })
  signedAt!: Date | null;

  /** Data URL of the signature image; served to the seller only. */
  @Column({ type: 'text', nullable: true })
  signatureImage!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  location!: string | null;

  /** For adult signature: whether the carrier saw ID showing 21+. */
  @Column({ type: 'boolean', nullable: true })
  adultIdVerified!: boolean | null;

  @Column({ type: 'simple-json' })
  checks!: ProofCheck[];

  /** A check failed: e.g. a paid-for signature is missing. */
  @Column({ type: 'boolean' })
  flagged!: boolean;

  @Column({ type: 'varchar', length: 10, nullable: true })
  verdict!: ProofVerdict | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  verdictNote!: string | null;

  @Column({ type: 'integer', nullable: true })
  verifiedByTokenId!: number | null;

  @Column({ ...TIMESTAMP, nullable: true })
  verifiedAt!: Date | null;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;
}
