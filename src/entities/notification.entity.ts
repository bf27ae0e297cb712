import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { NotificationChannel, NotificationKind, NotificationStatus } from './enums';

/** A buyer notification in the outbox: written with its cause, delivered later by the worker. */
@Entity('notifications')
@Index(['status', 'id'])
@Index(['buyerId', 'createdAt'])
export class Notification {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  buyerId!: number;

  @Column({ type: 'integer' })
  orderId!: number;

  @Column({ type: 'integer', nullable: true })
  shipmentId!: number | null;

  @Column({ type: 'varchar', length: 48 })
  kind!: NotificationKind;

  @Column({ type: 'varchar', length: 8 })
  channel!: NotificationChannel;

  /** One notification per cause: e.g. `SIGNATURE_REQUIRED:label:12`. */
  @Column({ type: 'varchar', length: 120, unique: true })
  dedupeKey!: string;

  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: NotificationStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Lease held by a worker while it delivers; expired leases are taken over. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  claimedBy!: string | null;
  @Column({ ...TIMESTAMP, nullable: true })
  claimedUntil!: Date | null;

  @Column({ ...TIMESTAMP, nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;

  /** X-Request-Id of the request that caused this row (null when a worker did). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;
}
