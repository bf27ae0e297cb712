import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { Logger } from '../config/logger';
import type { Clock } from '../core/clock';
import { systemClock } from '../core/clock';
import { toGlobalId } from '../core/global-id';
import type { RequestContext } from '../core/request-context';
import { UserErrorCode, UserInputError, fail } from '../core/user-error';
import type { UserError } from '../core/user-error';
import type { Database } from '../db/database';
import { Label, LabelBatch, LabelBatchItem, LabelDocument } from '../entities';
import type { LabelQuote } from '../entities';
import {
  LabelBatchItemStatus,
  LabelBatchStatus,
  LabelDocumentFormat,
  Role,
} from '../entities/enums';
import { lazyLoaders } from '../loaders/loaders';
import type { EventBus } from '../pubsub/event-bus';
import { batchProgress } from '../services/label-batch.service';
import { mergePdfs } from '../services/label-batch-pdf';
import type { LabelPurchaseService } from '../services/label-purchase.service';
import type { LabelDocumentService } from '../services/label-documents.service';
import type { LabelQuoteService } from '../services/label-quote.service';
import { Poller } from './poller';

export interface LabelBatchWorkerOptions {
  /** Identifies this worker in leases; unique per process by default. */
  workerId?: string;
  pollMs?: number;
  /** How long a claim on an item is held; one whose worker died is taken over after this. */
  leaseMs?: number;
  /** Tries of an item the carrier did not answer before it is recorded FAILED. */
  maxAttempts?: number;
  /** Wait before an item is tried again, by tries made so far. */
  retryDelayMs?: (attempts: number) => number;
  clock?: Clock;
}

/** Failures that may pass: the item is tried again (under the same key) after a wait. */
const RETRYABLE: ReadonlySet<string> = new Set([
  UserErrorCode.CARRIER_UNAVAILABLE,
  UserErrorCode.IDEMPOTENCY_REQUEST_IN_PROGRESS,
]);

/** What the worker buys through: the same services a seller's requests use. */
export interface LabelBatchBuyers {
  labelQuotes: Pick<LabelQuoteService, 'create'>;
  labelPurchase: Pick<LabelPurchaseService, 'purchase'>;
  labelDocuments: Pick<LabelDocumentService, 'ensureDocuments'>;
}

const { PENDING, SUCCEEDED, FAILED } = LabelBatchItemStatus;

/** What the item will buy: given, or chosen by its rule from a fresh quote. */
interface Choice {
  quoteId: number;
  rateId: string;
  signatureOption: string;
}

/**
 * Works label batches off in the background, one item at a time: claims the oldest pending item
 * with a lease (a guarded update, so two instances never run the same item; an expired lease is
 * taken over), buys its label through LabelPurchaseService as the batch's seller under the item's
 * idempotency key (a retried item replays, never buys twice), records the label or the user error
 * with the batch's counters in one transaction and publishes progress after it commits. When the
 * last item is done it merges the labels' PDFs into one (one page per label) and completes the
 * batch. No carrier call or PDF work happens inside a transaction.
 */
export class LabelBatchWorker {
  readonly workerId: string;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: (attempts: number) => number;
  private readonly clock: Clock;
  private readonly log: Logger;
  private claims = 0;
  private readonly poller: Poller<number>;

  constructor(
    private readonly db: Database,
    private readonly buyers: LabelBatchBuyers,
    private readonly events: EventBus,
    logger: Logger,
    options: LabelBatchWorkerOptions = {},
  ) {
    this.workerId = options.workerId ?? randomUUID();
    this.pollMs = options.pollMs ?? 500;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? ((n) => Math.min(60_000, 5000 * 2 ** (n - 1)));
    this.clock = options.clock ?? systemClock;
    this.log = logger.child({ component: 'label-batch-worker', workerId: this.workerId });
    this.poller = new Poller(() => this.drain(), {
      intervalMs: this.pollMs,
      onError: (error) => this.log.error('label batch run failed', { error: String(error) }),
    });
  }

  /** Polls until stopped; items follow one another without waiting. */
  start(): void {
    this.poller.start();
  }

  /** Stops polling and waits for the item in hand. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Works until nothing is pending; returns the items processed. Concurrent calls share it. */
  runOnce(): Promise<number> {
    return this.poller.runOnce();
  }

  private async drain(): Promise<number> {
    await this.finishDoneBatches();
    let processed = 0;
    while (!this.poller.stopped) {
      const lease = `${this.workerId}#${++this.claims}`;
      const item = await this.claim(lease);
      if (!item) break;
      await this.process(item, lease);
      processed += 1;
    }
    return processed;
  }

  /** Takes the oldest pending item that nobody holds, or null. */
  private async claim(lease: string): Promise<LabelBatchItem | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.clock().toISOString();
      // A plain read first: an idle worker takes no write transaction (SQLite's one write lock).
      const candidate = await this.db.manager
        .createQueryBuilder(LabelBatchItem, 'i')
        .where('i.status = :pending', { pending: PENDING })
        .andWhere('(i.claimedUntil IS NULL OR i.claimedUntil < :now)', { now })
        .orderBy('i.batchId', 'ASC')
        .addOrderBy('i.index', 'ASC')
        .getOne();
      if (!candidate) return null;
      const until = new Date(this.clock().getTime() + this.leaseMs);
      const taken = await this.db.transaction(({ manager: m }) =>
        m
          .createQueryBuilder()
          .update(LabelBatchItem)
          .set({ claimedBy: lease, claimedUntil: until })
          .where('id = :id AND status = :pending', { id: candidate.id, pending: PENDING })
          .andWhere('("claimedUntil" IS NULL OR "claimedUntil" < :now)', { now })
          .execute(),
      );
      if (taken.affected === 1) return { ...candidate, claimedBy: lease, claimedUntil: until };
    }
    return null;
  }

  /** Buys the item's label (or records why not), then completes the batch if it was the last. */
  private async process(item: LabelBatchItem, lease: string): Promise<void> {
    const ctx = sellerContext(this.db, item);
    let labelId: number | null = null;
    let error: UserError | null = null;
    try {
      const choice = await this.choose(ctx, item, lease);
      const result = await this.buyers.labelPurchase.purchase(ctx, {
        quoteId: toGlobalId('LabelQuote', choice.quoteId),
        rateId: choice.rateId,
        signatureOption: choice.signatureOption as never,
        idempotencyKey: item.idempotencyKey,
      });
      labelId = result.label.id;
    } catch (caught) {
      if (!(caught instanceof UserInputError)) {
        // Unexpected (the database, a bug): tried again later, without limit, and logged.
        this.log.error('label batch item failed', { itemId: item.id, error: String(caught) });
        await this.retryLater(item, lease);
        return;
      }
      const [first] = caught.errors as UserError[];
      if (RETRYABLE.has(first.code) && item.attempts + 1 < this.maxAttempts) {
        await this.retryLater(item, lease);
        return;
      }
      error = first;
    }
    const batch = await this.record(item, lease, labelId, error);
    if (batch && batch.done >= batch.total) await this.finish(batch.id);
  }

  /** Gives the item up until its next try; the idempotency key makes the retry safe. */
  private async retryLater(item: LabelBatchItem, lease: string): Promise<void> {
    const attempts = item.attempts + 1;
    const at = new Date(this.clock().getTime() + this.retryDelayMs(attempts));
    await this.db.transaction(({ manager: m }) =>
      m.update(
        LabelBatchItem,
        { id: item.id, claimedBy: lease, status: PENDING },
        { attempts, claimedBy: null, claimedUntil: at },
      ),
    );
  }

  /** The item's quote, rate and option: as given, or picked by its rule and recorded first. */
  private async choose(ctx: RequestContext, item: LabelBatchItem, lease: string): Promise<Choice> {
    if (item.quoteId !== null && item.rateId !== null && item.signatureOption !== null) {
      return { quoteId: item.quoteId, rateId: item.rateId, signatureOption: item.signatureOption };
    }
    const { quote } = await this.buyers.labelQuotes.create(ctx, {
      orderId: toGlobalId('Order', item.orderId),
    });
    const choice = cheapestSupportingRecommended(quote);
    // Recorded before buying, so an item retried after a crash buys the same rate under its key.
    await this.db.transaction(({ manager: m }) =>
      m.update(
        LabelBatchItem,
        { id: item.id, claimedBy: lease },
        {
          quoteId: choice.quoteId,
          rateId: choice.rateId,
          signatureOption: choice.signatureOption as never,
        },
      ),
    );
    return choice;
  }

  /** Writes the item's outcome and the batch's counters; publishes after commit. */
  private async record(
    item: LabelBatchItem,
    lease: string,
    labelId: number | null,
    error: UserError | null,
  ): Promise<LabelBatch | null> {
    const now = this.clock();
    return this.db.transaction(async (tx) => {
      const m = tx.manager;
      const status = error ? FAILED : SUCCEEDED;
      const moved = await m.update(
        LabelBatchItem,
        { id: item.id, claimedBy: lease, status: PENDING },
        {
          status,
          labelId,
          errorCode: error?.code ?? null,
          errorField: error?.field ?? null,
          errorMessage: error?.message ?? null,
          finishedAt: now,
          claimedBy: null,
          claimedUntil: null,
        },
      );
      // Another worker took the item over (this one outlived its lease): its outcome counts.
      if (!moved.affected) return null;
      await m
        .createQueryBuilder()
        .update(LabelBatch)
        .set({
          done: () => '"done" + 1',
          ...(error ? { failed: () => '"failed" + 1' } : { succeeded: () => '"succeeded" + 1' }),
          status: LabelBatchStatus.RUNNING,
        })
        .where('id = :id', { id: item.batchId })
        .execute();
      const batch = await m.findOneByOrFail(LabelBatch, { id: item.batchId });
      const finished = Object.assign(new LabelBatchItem(), {
        ...item,
        status,
        labelId,
        errorCode: error?.code ?? null,
        errorField: error?.field ?? null,
        errorMessage: error?.message ?? null,
      });
      const progress = batchProgress(batch, finished);
      tx.afterCommit(() => this.events.publish('batch:progress', batch.id, progress));
      return batch;
    });
  }

  /** Batches whose items are all done but which are not completed (a worker died meanwhile). */
  private async finishDoneBatches(): Promise<void> {
    const open = await this.db.manager
      .createQueryBuilder(LabelBatch, 'b')
      .where('b.status != :completed', { completed: LabelBatchStatus.COMPLETED })
      .andWhere('b.done >= b.total')
      .getMany();
    for (const batch of open) await this.finish(batch.id);
  }

  /** Merges the bought labels' PDFs (outside any transaction) and completes the batch once. */
  private async finish(batchId: number): Promise<void> {
    const m = this.db.manager;
    const items = await m.find(LabelBatchItem, {
      where: { batchId, status: SUCCEEDED },
      order: { index: 'ASC' },
    });
    const labelIds = items.map((i) => i.labelId).filter((id): id is number => id !== null);
    // A label's documents are made when first wanted: the merged PDF wants them all.
    const labels = labelIds.length ? await m.find(Label, { where: { id: In(labelIds) } }) : [];
    for (const label of labels) await this.buyers.labelDocuments.ensureDocuments(label);
    const documents = labelIds.length
      ? await m.find(LabelDocument, {
          where: { labelId: In(labelIds), format: LabelDocumentFormat.PDF },
        })
      : [];
    const byLabel = new Map(documents.map((d) => [d.labelId, d.bytes]));
    const pdfs = labelIds.map((id) => byLabel.get(id)).filter((b): b is Buffer => !!b);
    const merged = pdfs.length ? await mergePdfs(pdfs) : null;
    const now = this.clock();
    await this.db.transaction(async (tx) => {
      const done = await tx.manager
        .createQueryBuilder()
        .update(LabelBatch)
        .set({
          status: LabelBatchStatus.COMPLETED,
          completedAt: now,
          mergedPdf: merged ? merged.toString('base64') : null,
        })
        .where('id = :id AND status != :completed', {
          id: batchId,
          completed: LabelBatchStatus.COMPLETED,
        })
        .execute();
      if (!done.affected) return;
      const batch = await tx.manager.findOneByOrFail(LabelBatch, { id: batchId });
      const progress = batchProgress(batch, null);
      tx.afterCommit(() => this.events.publish('batch:progress', batchId, progress));
    });
  }
}

/** Acting for the batch's seller, as the seller's own request would. */
function sellerContext(db: Database, item: LabelBatchItem): RequestContext {
  return {
    requestId: `label-batch-${item.batchId}-${item.index}`,
    viewer: { tokenId: 0, role: Role.SELLER, sellerId: item.sellerId, buyerId: null },
    loaders: lazyLoaders(db.manager),
  };
}

/**
 * The rule CHEAPEST_SUPPORTING_RECOMMENDED: among the rates that may carry the goods, the
 * cheapest total of the option the quote recommends, where that option is supported.
 */
export function cheapestSupportingRecommended(quote: LabelQuote): Choice {
  const eligible = quote.rates.filter((r) => r.eligible !== false);
  if (eligible.length === 0) {
    const reason = quote.rates.find((r) => r.ineligibleReason)?.ineligibleReason;
    fail(UserErrorCode.CONTENTS_NOT_ELIGIBLE, reason ?? 'No service may carry this order.', [
      'input',
      'rule',
    ]);
  }
  const candidates = eligible.flatMap((rate) =>
    rate.options
      .filter((o) => o.option === quote.recommendedSignature && o.supported)
      .map((o) => ({ rate, option: o })),
  );
  if (candidates.length === 0) {
    fail(
      UserErrorCode.SIGNATURE_NOT_SUPPORTED,
      `No eligible service offers the recommended ${quote.recommendedSignature}.`,
      ['input', 'rule'],
    );
  }
  const best = candidates.reduce((a, b) => (b.option.totalMinor < a.option.totalMinor ? b : a));
  return {
    quoteId: quote.id,
    rateId: best.rate.rateId,
    signatureOption: best.option.option,
  };
}
