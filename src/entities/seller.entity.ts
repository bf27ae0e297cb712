import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';

@Entity('sellers')
export class Seller {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  /** ZIP the seller ships from; with the destination ZIP it decides the carrier zone. */
  @Column({ type: 'varchar', length: 10 })
  originPostalCode!: string;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;
}
