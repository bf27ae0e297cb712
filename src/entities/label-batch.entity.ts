import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TIMESTAMP } from './columns';
import { LabelBatchItemStatus, LabelBatchRule, LabelBatchStatus, SignatureOption } from './enums';

/**
 * Labels bought for many orders in one request, in the background (LabelBatchWorker). Counters
 * move in the transaction that records each item's outcome; the merged PDF (one page per label
 * bought) is written when the last item is done, and only then is the batch COMPLETED.
 */
@Entity('label_batches')
export class LabelBatch {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'integer' })
  sellerId!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: LabelBatchStatus;

  @Column({ type: 'integer' })
  total!: number;

  @Column({ type: 'integer' })
  done!: number;

  @Column({ type: 'integer' })
  succeeded!: number;

  @Column({ type: 'integer' })
  failed!: number;

  /** The merged PDF as base64 (see label-document.entity.ts for why text); null until done. */
  @Column({ type: 'text', nullable: true })
  mergedPdf!: string | null;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;

  @Column({ ...TIMESTAMP, nullable: true })
  completedAt!: Date | null;
}

/** One order of a batch: what to buy, and how it went. */
@Entity('label_batch_items')
@Unique(['batchId', 'index'])
export class LabelBatchItem {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'integer' })
  batchId!: number;

  /** Position in the request (0-based). */
  @Column({ type: 'integer' })
  index!: number;

  @Column({ type: 'integer' })
  sellerId!: number;

  @Column({ type: 'integer' })
  orderId!: number;

  /** Given, or (rule items) chosen and recorded before the purchase so a retry buys the same. */
  @Column({ type: 'integer', nullable: true })
  quoteId!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  rateId!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  signatureOption!: SignatureOption | null;

  @Column({ type: 'varchar', length: 255 })
  idempotencyKey!: string;

  @Column({ type: 'varchar', length: 48, nullable: true })
  rule!: LabelBatchRule | null;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  status!: LabelBatchItemStatus;

  @Column({ type: 'integer', nullable: true })
  labelId!: number | null;

  @Column({ type: 'varchar', length: 48, nullable: true })
  errorCode!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  errorField!: string[] | null;

  @Column({ type: 'text', nullable: true })
  errorMessage!: string | null;

  /** Tries that ended in a passing failure (the carrier down, an unexpected error). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** The worker holding the item, until `claimedUntil` (then another may take it over). */
  @Column({ type: 'varchar', length: 80, nullable: true })
  claimedBy!: string | null;

  @Column({ ...TIMESTAMP, nullable: true })
  claimedUntil!: Date | null;

  @Column({ ...TIMESTAMP, nullable: true })
  finishedAt!: Date | null;
}
