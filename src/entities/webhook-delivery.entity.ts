import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { WebhookDeliveryStatus } from './enums';

/**
 * One event for one endpoint, in the outbox: written in the transaction of its cause, delivered
 * after commit by the webhook worker. `eventId` stays the same across retries and redeliveries,
 * so a receiver that dedupes on it sees each event once.
 */
@Entity('webhook_deliveries')
@Index(['status', 'nextAttemptAt'])
@Index(['endpointId', 'createdAt'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  endpointId!: number;

  @Column({ type: 'varchar', length: 40 })
  event!: string;

  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  /** The exact JSON body sent (and signed). */
  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: WebhookDeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Not sent before this (the backoff after a failure). */
  @Column({ ...TIMESTAMP })
  nextAttemptAt!: Date;

  /** Lease held by a worker while it delivers; expired leases are taken over. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  claimedBy!: string | null;
  @Column({ ...TIMESTAMP, nullable: true })
  claimedUntil!: Date | null;

  @Column({ ...TIMESTAMP, nullable: true })
  deliveredAt!: Date | null;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;

  /** X-Request-Id of the request that caused this row (null when a worker did). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;
}
