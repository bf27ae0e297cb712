import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('addresses')
export class Address {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  /** Company or organisation line, printed under the name. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  company!: string | null;

  @Column({ type: 'varchar', length: 200 })
  line1!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  line2!: string | null;

  @Column({ type: 'varchar', length: 100 })
  city!: string;

  @Column({ type: 'varchar', length: 40 })
  region!: string;

  @Column({ type: 'varchar', length: 10 })
  postalCode!: string;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'varchar', length: 2 })
  country!: string;

  /**
   * Normalized form of the address (upper case, single spaces) used to find several buyers
   * shipping to one place and earlier claims against it.
   */
  @Index()
  @Column({ type: 'varchar', length: 400 })
  fingerprint!: string;
}
