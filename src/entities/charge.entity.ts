import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { ChargeKind } from './enums';

/** A line on the seller's account; refunds are negative. */
@Entity('charges')
@Index(['sellerId', 'createdAt'])
export class Charge {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  sellerId!: number;

  @Index()
  @Column({ type: 'integer' })
  labelId!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: ChargeKind;

  @Column({ type: 'varchar', length: 200 })
  description!: string;

  @Column({ type: 'integer' })
  amountMinor!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;
}
