import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { Carrier, ShipmentStatus, SignatureOption } from './enums';

@Entity('shipments')
@Index(['sellerId', 'updatedAt'])
export class Shipment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'integer' })
  orderId!: number;

  @Column({ type: 'integer' })
  sellerId!: number;

  @Column({ type: 'integer' })
  buyerId!: number;

  @Index({ unique: true })
  @Column({ type: 'integer' })
  labelId!: number;

  @Column({ type: 'varchar', length: 8 })
  carrier!: Carrier;

  @Column({ type: 'varchar', length: 40, unique: true })
  trackingNumber!: string;

  @Column({ type: 'varchar', length: 24 })
  status!: ShipmentStatus;

  /** Why the last attempt failed, e.g. `SIGNATURE_UNAVAILABLE`. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  statusReason!: string | null;

  @Column({ type: 'varchar', length: 32 })
  signatureRequirement!: SignatureOption;

  /** Carrier time of the event that set the current status; later events only move it forward. */
  @Column({ ...TIMESTAMP, nullable: true })
  statusAt!: Date | null;

  @Column({ ...TIMESTAMP, nullable: true })
  estimatedDeliveryAt!: Date | null;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;

  @Column({ ...TIMESTAMP })
  updatedAt!: Date;
}
