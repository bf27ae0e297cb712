import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TIMESTAMP } from './columns';
import { Carrier, ShipmentStatus } from './enums';

@Entity('tracking_events')
@Unique(['carrier', 'carrierEventId'])
@Index(['shipmentId', 'occurredAt'])
export class TrackingEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  shipmentId!: number;

  @Column({ type: 'varchar', length: 8 })
  carrier!: Carrier;

  /** The carrier's id for the event; our own events (label created, void) use a local id. */
  @Column({ type: 'varchar', length: 80 })
  carrierEventId!: string;

  @Column({ type: 'varchar', length: 24 })
  status!: ShipmentStatus;

  @Column({ type: 'varchar', length: 40, nullable: true })
  reason!: string | null;

  @Column({ type: 'varchar', length: 300 })
  description!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  location!: string | null;

  /** Carrier time. */
  @Column({ ...TIMESTAMP })
  occurredAt!: Date;

  @Column({ ...TIMESTAMP })
  receivedAt!: Date;
}
