import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TIMESTAMP } from './columns';

/** The first result of a keyed purchase, replayed for retries with the same input. */
@Entity('idempotency_records')
@Unique(['sellerId', 'key'])
export class IdempotencyRecord {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  sellerId!: number;

  @Column({ type: 'varchar', length: 255 })
  key!: string;

  /** SHA-256 of the canonical request input. */
  @Column({ type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ type: 'integer', nullable: true })
  labelId!: number | null;

  /**
   * The carrier operation (purchase) that holds the key while its label is bought: claimed and
   * committed before the carrier call, so a concurrent request with the key waits instead of
   * buying, and a failed request only ever gives back its own label.
   */
  @Column({ type: 'integer', nullable: true })
  operationId!: number | null;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;
}
