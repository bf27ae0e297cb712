import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { NotificationAttemptOutcome, NotificationChannel } from './enums';

/**
 * One try at handing a notification to its channel, written by the outbox worker after the try
 * (never around it: no network call inside a transaction). The failures keep the channel's answer,
 * e.g. the SMTP server's reply, so an operator can see why a notice was retried or given up.
 */
@Entity('notification_attempts')
@Index(['notificationId', 'attempt'])
export class NotificationAttempt {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  notificationId!: number;

  /** 1 for the first try. */
  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'varchar', length: 8 })
  channel!: NotificationChannel;

  @Column({ type: 'varchar', length: 12 })
  outcome!: NotificationAttemptOutcome;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;

  @Column({ ...TIMESTAMP })
  startedAt!: Date;

  @Column({ ...TIMESTAMP })
  finishedAt!: Date;
}
