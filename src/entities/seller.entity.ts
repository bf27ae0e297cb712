import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';

@Entity('sellers')
export class Seller {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The platform's id for the seller (upsertSeller is idempotent on it). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  externalId!: string | null;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;
}
