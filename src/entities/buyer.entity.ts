import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';

@Entity('buyers')
export class Buyer {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  email!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone!: string | null;

  /** When the account was opened; young accounts weigh in several risk signals. */
  @Column({ ...TIMESTAMP })
  createdAt!: Date;
}
