import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';

/**
 * A place a seller ships from (warehouse, store, home), keyed by the platform's own key for it.
 * Its address row is never edited: a changed address is a new row, so labels and quotes made
 * from the old one keep printing what they were priced and shipped with.
 */
@Entity('ship_from_locations')
@Index(['sellerId', 'externalKey'], { unique: true })
export class ShipFromLocation {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'integer' })
  sellerId!: number;

  /** The platform's key for this location, unique per seller (e.g. "pdx-warehouse"). */
  @Column({ type: 'varchar', length: 64 })
  externalKey!: string;

  /** A name for people, e.g. "Portland warehouse". */
  @Column({ type: 'varchar', length: 120 })
  name!: string;

  /** The current address (addresses row); its postal code decides the carrier zone. */
  @Column({ type: 'integer' })
  addressId!: number;

  /** Printed for the carrier; E.164. */
  @Column({ type: 'varchar', length: 20 })
  phone!: string;

  /** Where quotes ship from unless another location is chosen; exactly one per seller. */
  @Column({ type: 'boolean' })
  isDefault!: boolean;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;

  @Column({ ...TIMESTAMP })
  updatedAt!: Date;
}
