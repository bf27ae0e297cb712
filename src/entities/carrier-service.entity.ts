import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Carrier } from './enums';

/** One shipping service of a carrier, e.g. USPS Ground Advantage. */
@Entity('carrier_services')
export class CarrierService {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 8 })
  carrier!: Carrier;

  /** Stable code, e.g. `USPS_GROUND_ADVANTAGE`. */
  @Column({ type: 'varchar', length: 60, unique: true })
  code!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'boolean', default: false })
  international!: boolean;

  @Column({ type: 'integer' })
  transitDays!: number;

  @Column({ type: 'integer', default: 0 })
  sortOrder!: number;
}
