import { In } from 'typeorm';
import { requireSeller, requireViewer } from '../auth/guards';
import { isAdmin } from '../auth/viewer';
import type { Clock } from '../core/clock';
import { MAX_BATCH_ITEMS } from '../config/security';
import { notFound } from '../core/errors';
import { globalIdOf } from '../core/global-id';
import type { RequestContext } from '../core/request-context';
import { UserErrorCode, fail, userError } from '../core/user-error';
import type { UserError } from '../core/user-error';
import { insertAll } from '../db/insert-all';
import { LabelBatch, LabelBatchItem, LabelQuote, Order } from '../entities';
import { LabelBatchItemStatus, LabelBatchStatus } from '../entities/enums';
import type { LabelBatchRule, SignatureOption } from '../entities/enums';
import type { LabelBatchProgress } from '../pubsub/event-bus';
import { startWith } from '../pubsub/start-with';
import type { ServiceDeps } from './deps';
import { batchLinkPath } from './label-document-links';
import type { LabelDocumentLink, ServedDocument, DocumentRefusal } from './label-documents.service';
import { isValidIdempotencyKey } from './label-idempotency';

export interface LabelBatchItemInput {
  orderId: string;
  quoteId?: string | null;
  rateId?: string | null;
  signatureOption?: SignatureOption | null;
  idempotencyKey: string;
  rule?: LabelBatchRule | null;
}

export interface CreateLabelBatchInput {
  items: LabelBatchItemInput[];
}

/** The batch's counters and the item that just finished (null for the state as it stands). */
export interface LabelBatchUpdate {
  batch: LabelBatch;
  item: LabelBatchItem | null;
}

/** A JSON-safe snapshot of the batch (and item) for the progress topic. */
export function batchProgress(batch: LabelBatch, item: LabelBatchItem | null): LabelBatchProgress {
  return {
    batchId: batch.id,
    sellerId: batch.sellerId,
    status: batch.status,
    total: batch.total,
    done: batch.done,
    succeeded: batch.succeeded,
    failed: batch.failed,
    item: item && {
      index: item.index,
      status: item.status,
      labelId: item.labelId,
      errorCode: item.errorCode,
      errorField: item.errorField,
      errorMessage: item.errorMessage,
    },
  };
}

/**
 * Label batches: a seller asks for labels for up to 100 orders in one request; the request only
 * validates the whole input and records the batch with its items (one transaction), and
 * LabelBatchWorker buys them one by one in the background, publishing progress on
 * 'batch:progress'. Each item is bought through LabelPurchaseService under its own idempotency
 * key, so a retried item never buys twice. Only the batch's seller sees it (others: NOT_FOUND).
 */
export class LabelBatchService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly clock: Clock,
  ) {}

  async create(ctx: RequestContext, input: CreateLabelBatchInput): Promise<{ batch: LabelBatch }> {
    const { sellerId } = requireSeller(ctx);
    const items = input.items;
    if (items.length < 1 || items.length > MAX_BATCH_ITEMS) {
      fail(
        UserErrorCode.INVALID_INPUT,
        `A batch has 1 to ${MAX_BATCH_ITEMS} items; found ${items.length}.`,
        ['input', 'items'],
      );
    }
    const errors: UserError[] = [];
    const orderIds: number[] = [];
    const quoteIds: Array<number | null> = [];
    const seenOrders = new Map<number, number>();
    const seenKeys = new Map<string, number>();
    items.forEach((item, i) => {
      const at = (name: string) => ['input', 'items', String(i), name];
      const orderId = globalIdOf(item.orderId, 'Order');
      orderIds.push(orderId ?? 0);
      if (orderId === null) {
        errors.push(
          userError(UserErrorCode.INVALID_ID, 'orderId is not a valid Order id', at('orderId')),
        );
      } else if (seenOrders.has(orderId)) {
        errors.push(
          userError(
            UserErrorCode.INVALID_INPUT,
            `The order is already item ${seenOrders.get(orderId)} of this batch.`,
            at('orderId'),
          ),
        );
      } else {
        seenOrders.set(orderId, i);
      }
      if (!isValidIdempotencyKey(item.idempotencyKey)) {
        errors.push(
          userError(
            UserErrorCode.INVALID_INPUT,
            'idempotencyKey must be 1 to 255 printable characters',
            at('idempotencyKey'),
          ),
        );
      } else if (seenKeys.has(item.idempotencyKey)) {
        errors.push(
          userError(
            UserErrorCode.INVALID_INPUT,
            `The idempotencyKey is already item ${seenKeys.get(item.idempotencyKey)}'s.`,
            at('idempotencyKey'),
          ),
        );
      } else {
        seenKeys.set(item.idempotencyKey, i);
      }
      const explicit = [item.quoteId, item.rateId, item.signatureOption].filter((v) => v != null);
      let quoteId: number | null = null;
      if (item.rule != null) {
        if (explicit.length > 0) {
          errors.push(
            userError(
              UserErrorCode.INVALID_INPUT,
              'Give either a rule or quoteId, rateId and signatureOption, not both.',
              at('rule'),
            ),
          );
        }
      } else if (explicit.length !== 3) {
        errors.push(
          userError(
            UserErrorCode.INVALID_INPUT,
            'Give quoteId, rateId and signatureOption, or a rule.',
            at('quoteId'),
          ),
        );
      } else {
        quoteId = globalIdOf(item.quoteId as string, 'LabelQuote');
        if (quoteId === null) {
          errors.push(
            userError(
              UserErrorCode.INVALID_ID,
              'quoteId is not a valid LabelQuote id',
              at('quoteId'),
            ),
          );
        }
      }
      quoteIds.push(quoteId);
    });
    if (errors.length > 0) fail(errors);

    const m = this.deps.db.manager;
    const orders = await m.find(Order, { where: { id: In(orderIds), sellerId } });
    const knownOrders = new Set(orders.map((o) => o.id));
    const wantedQuotes = quoteIds.filter((id): id is number => id !== null);
    const quotes = wantedQuotes.length
      ? await m.find(LabelQuote, { where: { id: In(wantedQuotes), sellerId } })
      : [];
    const quoteById = new Map(quotes.map((q) => [q.id, q]));
    items.forEach((_item, i) => {
      const at = (name: string) => ['input', 'items', String(i), name];
      if (!knownOrders.has(orderIds[i])) {
        errors.push(userError(UserErrorCode.ORDER_NOT_FOUND, 'No such order', at('orderId')));
      }
      const quoteId = quoteIds[i];
      if (quoteId === null) return;
      const quote = quoteById.get(quoteId);
      if (!quote) {
        errors.push(userError(UserErrorCode.QUOTE_NOT_FOUND, 'No such quote', at('quoteId')));
      } else if (quote.orderId !== orderIds[i]) {
        errors.push(
          userError(UserErrorCode.INVALID_INPUT, "The quote is another order's.", at('quoteId')),
        );
      }
    });
    if (errors.length > 0) fail(errors);

    const now = this.clock();
    const batch = await this.deps.db.transaction(async ({ manager: tx }) => {
      const row = tx.create(LabelBatch, {
        sellerId,
        status: LabelBatchStatus.QUEUED,
        total: items.length,
        done: 0,
        succeeded: 0,
        failed: 0,
        mergedPdf: null,
        createdAt: now,
        completedAt: null,
      });
      await tx.insert(LabelBatch, row);
      await insertAll(
        tx,
        LabelBatchItem,
        items.map((item, i) => ({
          batchId: row.id,
          index: i,
          sellerId,
          orderId: orderIds[i],
          quoteId: quoteIds[i],
          rateId: item.rule != null ? null : (item.rateId ?? null),
          signatureOption: item.rule != null ? null : (item.signatureOption ?? null),
          idempotencyKey: item.idempotencyKey,
          rule: item.rule ?? null,
          status: LabelBatchItemStatus.PENDING,
          labelId: null,
          errorCode: null,
          errorField: null,
          errorMessage: null,
          attempts: 0,
          claimedBy: null,
          claimedUntil: null,
          finishedAt: null,
        })),
      );
      return row;
    });
    return { batch };
  }

  /** The batch for its seller (platform staff too); null otherwise. */
  async findVisible(ctx: RequestContext, id: number): Promise<LabelBatch | null> {
    const viewer = requireViewer(ctx);
    const batch = await this.deps.db.manager.findOne(LabelBatch, { where: { id } });
    if (!batch || !(isAdmin(viewer) || batch.sellerId === viewer.sellerId)) return null;
    return batch;
  }

  items(_ctx: RequestContext, batch: LabelBatch): Promise<LabelBatchItem[]> {
    return this.deps.db.manager.find(LabelBatchItem, {
      where: { batchId: batch.id },
      order: { index: 'ASC' },
    });
  }

  /**
   * Progress of the seller's own batch: the state as it stands first, then every committed
   * change. Anyone else: NOT_FOUND, as for a batch that does not exist.
   */
  async subscribeProgress(
    ctx: RequestContext,
    id: number,
  ): Promise<AsyncIterable<LabelBatchProgress>> {
    const { sellerId } = requireSeller(ctx);
    const batch = await this.deps.db.manager.findOne(LabelBatch, { where: { id, sellerId } });
    if (!batch) throw notFound('Label batch');
    // Listening before reading: a change committed in between arrives (maybe twice), never lost.
    const live = this.deps.events.subscribe('batch:progress', id);
    return startWith(live, async () => [
      batchProgress(await this.deps.db.manager.findOneByOrFail(LabelBatch, { id }), null),
    ]);
  }

  /** The update a subscriber gets for a published progress event (from the payload, no read). */
  toUpdate(progress: LabelBatchProgress): LabelBatchUpdate {
    const batch = Object.assign(new LabelBatch(), {
      id: progress.batchId,
      sellerId: progress.sellerId,
      status: progress.status as LabelBatchStatus,
      total: progress.total,
      done: progress.done,
      succeeded: progress.succeeded,
      failed: progress.failed,
    });
    const item =
      progress.item &&
      Object.assign(new LabelBatchItem(), {
        batchId: progress.batchId,
        sellerId: progress.sellerId,
        ...progress.item,
        status: progress.item.status as LabelBatchItemStatus,
      });
    return { batch, item };
  }

  /** A signed link to the merged PDF of a COMPLETED batch of the seller's. */
  mergedDocumentLink(ctx: RequestContext, batch: LabelBatch): LabelDocumentLink | null {
    const { sellerId } = requireSeller(ctx);
    if (batch.sellerId !== sellerId) throw notFound('Label batch');
    if (batch.status !== LabelBatchStatus.COMPLETED || batch.succeeded === 0) return null;
    const { secret, ttlSeconds, publicBaseUrl } = this.deps.config.labelDocuments;
    const expires = Math.floor(this.clock().getTime() / 1000) + ttlSeconds;
    const path = batchLinkPath(secret, { batchId: batch.id, sellerId, expires });
    return { url: `${publicBaseUrl ?? ''}${path}`, expiresAt: new Date(expires * 1000) };
  }

  /** The merged PDF a verified link names, or why not. */
  async serveMerged(claims: {
    batchId: number;
    sellerId: number;
    expires: number;
  }): Promise<ServedDocument | DocumentRefusal> {
    if (claims.expires * 1000 <= this.clock().getTime()) return 'EXPIRED';
    const batch = await this.deps.db.manager.findOne(LabelBatch, {
      where: { id: claims.batchId, sellerId: claims.sellerId },
    });
    if (!batch?.mergedPdf) return 'NOT_FOUND';
    return {
      contentType: 'application/pdf',
      bytes: Buffer.from(batch.mergedPdf, 'base64'),
      filename: `label-batch-${batch.id}.pdf`,
    };
  }
}
