import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { Carrier, CarrierOperationKind, CarrierOperationStatus, SignatureOption } from './enums';

/**
 * A label purchase or void, recorded (and committed) before the carrier is called, so that a
 * process that dies between the carrier's answer and its own commit leaves a record the carrier
 * reconciler resolves: the label goes to the idempotency key that paid for it, or back to the
 * carrier. Whoever works on a record holds its lease (claimedBy/claimedUntil); every state change
 * is guarded on the lease, so a request and a reconciler never both finish one.
 */
@Entity('carrier_operations')
@Index(['status', 'claimedUntil'])
export class CarrierOperation {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 8 })
  kind!: CarrierOperationKind;

  @Column({ type: 'varchar', length: 10 })
  status!: CarrierOperationStatus;

  @Column({ type: 'integer' })
  sellerId!: number;

  /** Purchases: the idempotency key that claimed this purchase. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  idempotencyKey!: string | null;

  /** Purchases: the carrier's dedupe reference (one label per reference). */
  @Index()
  @Column({ type: 'varchar', length: 300, nullable: true })
  reference!: string | null;

  /** Purchases: what was validated, so a reconciler can finish the purchase. */
  @Column({ type: 'integer', nullable: true })
  quoteId!: number | null;
  @Column({ type: 'varchar', length: 40, nullable: true })
  rateId!: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true })
  signatureOption!: SignatureOption | null;

  @Column({ type: 'varchar', length: 8 })
  carrier!: Carrier;

  /** Null until the carrier has answered a purchase. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  trackingNumber!: string | null;

  /** The committed label (purchase), or the label being voided (void). */
  @Column({ type: 'integer', nullable: true })
  labelId!: number | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  claimedBy!: string | null;
  @Column({ ...TIMESTAMP, nullable: true })
  claimedUntil!: Date | null;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;
  @Column({ ...TIMESTAMP })
  updatedAt!: Date;
}
