import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { NotificationChannel } from './enums';

/**
 * What the default (recording) channel adapter "sent". The unique notification id is the
 * channel-side dedupe that keeps an at-least-once worker from reaching the buyer twice.
 */
@Entity('notification_deliveries')
export class NotificationDelivery {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer', unique: true })
  notificationId!: number;

  @Column({ type: 'varchar', length: 8 })
  channel!: NotificationChannel;

  @Column({ type: 'varchar', length: 200 })
  recipient!: string;

  @Column({ ...TIMESTAMP })
  deliveredAt!: Date;
}
