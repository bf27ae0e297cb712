import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CarrierService } from './carrier-service.entity';
import { SignatureOption } from './enums';

/** Whether a service supports a signature option, its carrier-native code and fee, or why not. */
@Entity('service_signature_options')
@Unique(['serviceId', 'option'])
export class ServiceSignatureOption {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  serviceId!: number;
  @ManyToOne(() => CarrierService, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'serviceId' })
  service?: CarrierService;

  @Column({ type: 'varchar', length: 32 })
  option!: SignatureOption;

  @Column({ type: 'boolean' })
  supported!: boolean;

  /** What is sent to the carrier: USPS extra service `921`, UPS package-level `DCIS:2`, … */
  @Column({ type: 'varchar', length: 20, nullable: true })
  carrierCode!: string | null;

  @Column({ type: 'integer', default: 0 })
  feeMinor!: number;

  @Column({ type: 'varchar', length: 3, default: 'USD' })
  feeCurrency!: string;

  /** Where the fee figure comes from, and its year. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  feeSource!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  unavailableReason!: string | null;
}
