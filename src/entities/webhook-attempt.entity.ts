import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';

/** One POST of a delivery and how the endpoint answered (or did not). */
@Entity('webhook_attempts')
@Index(['deliveryId', 'attemptNo'])
export class WebhookAttempt {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  deliveryId!: number;

  @Column({ type: 'integer' })
  attemptNo!: number;

  /** The HTTP status; null when there was no answer (timeout, refused, blocked address). */
  @Column({ type: 'integer', nullable: true })
  statusCode!: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;

  @Column({ type: 'integer' })
  durationMs!: number;

  @Column({ ...TIMESTAMP })
  at!: Date;
}
