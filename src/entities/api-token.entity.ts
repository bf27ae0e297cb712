import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { Role } from './enums';

/** A bearer token. Only its SHA-256 hash is stored. */
@Entity('api_tokens')
export class ApiToken {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 64, unique: true })
  tokenHash!: string;

  @Column({ type: 'varchar', length: 8 })
  role!: Role;

  @Column({ type: 'integer', nullable: true })
  sellerId!: number | null;

  @Column({ type: 'integer', nullable: true })
  buyerId!: number | null;

  @Column({ type: 'varchar', length: 120 })
  label!: string;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;

  @Column({ ...TIMESTAMP, nullable: true })
  revokedAt!: Date | null;
}
