import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';

@Entity('buyers')
export class Buyer {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The platform's id for the buyer (upsertBuyer is idempotent on it). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  externalId!: string | null;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  email!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone!: string | null;

  /** When the account was opened; young accounts weigh in several risk signals. */
  @Column({ ...TIMESTAMP })
  createdAt!: Date;
}
