import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { Carrier, LabelStatus, SignatureOption } from './enums';

@Entity('labels')
export class Label {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'integer' })
  orderId!: number;

  @Column({ type: 'integer' })
  sellerId!: number;

  @Column({ type: 'integer' })
  quoteId!: number;

  /** The seller's location it ships from, and that location's address as printed (the quote's). */
  @Column({ type: 'integer', nullable: true })
  shipFromLocationId!: number | null;

  @Column({ type: 'integer', nullable: true })
  shipFromAddressId!: number | null;

  @Column({ type: 'varchar', length: 40 })
  rateId!: string;

  @Column({ type: 'integer' })
  serviceId!: number;

  @Column({ type: 'varchar', length: 8 })
  carrier!: Carrier;

  @Column({ type: 'varchar', length: 40, unique: true })
  trackingNumber!: string;

  @Column({ type: 'varchar', length: 32 })
  signatureOption!: SignatureOption;

  /** The carrier-native code sent for the signature option (null for NONE). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  signatureCarrierCode!: string | null;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;
  @Column({ type: 'integer' })
  postageMinor!: number;
  @Column({ type: 'integer' })
  signatureFeeMinor!: number;
  @Column({ type: 'integer' })
  totalMinor!: number;

  @Column({ type: 'varchar', length: 10 })
  status!: LabelStatus;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;

  @Column({ ...TIMESTAMP, nullable: true })
  voidedAt!: Date | null;

  /**
   * Fingerprint (src/core/address-fingerprint.ts) of the ship-to the label was bought for: a
   * different one on the order later means the address changed after the label, which voids
   * seller protection. Null on labels bought before it was kept.
   */
  @Column({ type: 'varchar', length: 400, nullable: true })
  shipToFingerprint!: string | null;
}
