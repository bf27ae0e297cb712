import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { CarrierInquiryStatus } from './enums';

/**
 * An inquiry to the carrier about a delivery the seller disputed. Opened by a DISPUTED verdict;
 * at most one open per shipment.
 */
@Entity('carrier_inquiries')
@Index('UQ_carrier_inquiries_open_shipment', ['shipmentId'], {
  unique: true,
  where: `"status" = 'OPEN'`,
})
@Index(['openedAt', 'id'])
export class CarrierInquiry {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'integer' })
  shipmentId!: number;

  @Column({ type: 'integer' })
  sellerId!: number;

  /** The verdict that opened it. */
  @Column({ type: 'integer' })
  verdictId!: number;

  @Column({ type: 'varchar', length: 8 })
  status!: CarrierInquiryStatus;

  @Column({ type: 'varchar', length: 1000 })
  reason!: string;

  @Column({ ...TIMESTAMP })
  openedAt!: Date;
}
