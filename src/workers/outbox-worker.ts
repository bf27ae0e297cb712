import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Logger } from '../config/logger';
import type { Database } from '../db/database';
import { Buyer, Notification, NotificationAttempt } from '../entities';
import { NotificationAttemptOutcome, NotificationStatus } from '../entities/enums';
import { channelAdapters, PermanentDeliveryError } from '../notifications/channel-adapter';
import type { ChannelAdapters, SendResult } from '../notifications/channel-adapter';
import { RecordingSink } from '../notifications/recording-sink';
import { Poller } from './poller';

export interface OutboxWorkerOptions {
  /** Identifies this worker in leases; unique per process by default. */
  workerId?: string;
  pollMs?: number;
  batchSize?: number;
  /** How long a claim is held; a worker that dies mid-batch loses its rows after this. */
  leaseMs?: number;
  /** Attempts before a notification is given up as FAILED. */
  maxAttempts?: number;
  /** Wait before retrying a failed send, by attempts made so far. */
  retryDelayMs?: (attempts: number) => number;
  adapters?: ChannelAdapters;
  now?: () => Date;
}

export interface OutboxRun {
  claimed: number;
  sent: number;
  /** Sends a channel had already seen (a retry after a crash); marked sent, not sent again. */
  alreadySent: number;
  failed: number;
}

const PENDING = NotificationStatus.PENDING;

/**
 * Delivers the buyer-notification outbox at least once: polls PENDING rows, claims a batch with
 * a lease (expired leases are taken over; PostgreSQL claims with FOR UPDATE SKIP LOCKED, so
 * several instances never take the same row), renews the claim and sends each through its channel
 * adapter, marks it SENT and records the try in notification_attempts. The adapters' channel-side
 * dedupe makes "at least once" reach the buyer exactly once.
 */
export class OutboxWorker {
  readonly workerId: string;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: (attempts: number) => number;
  private readonly adapters: ChannelAdapters;
  private readonly now: () => Date;
  private readonly log: Logger;
  private claims = 0;
  private readonly poller: Poller<OutboxRun>;

  constructor(
    private readonly db: Database,
    logger: Logger,
    options: OutboxWorkerOptions = {},
  ) {
    this.workerId = options.workerId ?? randomUUID();
    this.pollMs = options.pollMs ?? 500;
    this.batchSize = options.batchSize ?? 20;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? ((n) => Math.min(60_000, 1000 * 2 ** (n - 1)));
    this.adapters = options.adapters ?? channelAdapters(new RecordingSink(db));
    this.now = options.now ?? (() => new Date());
    this.log = logger.child({ component: 'outbox-worker', workerId: this.workerId });
    this.poller = new Poller(() => this.round(), {
      intervalMs: this.pollMs,
      full: (run) => run.claimed === this.batchSize,
      onError: (error) => this.log.error('outbox run failed', { error: String(error) }),
    });
  }

  /** Polls until stopped; a full batch is followed at once by the next. */
  start(): void {
    this.poller.start();
  }

  /** Stops polling and waits for the batch in hand. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** One claim-and-send round; concurrent calls share the round in progress. */
  runOnce(): Promise<OutboxRun> {
    return this.poller.runOnce();
  }

  private async round(): Promise<OutboxRun> {
    const lease = `${this.workerId}#${++this.claims}`;
    const batch = await this.claim(lease);
    const run: OutboxRun = { claimed: batch.length, sent: 0, alreadySent: 0, failed: 0 };
    for (const notification of batch) {
      const result = await this.dispatch(notification, lease);
      if (result === 'SENT') run.sent += 1;
      else if (result === 'ALREADY_SENT') run.alreadySent += 1;
      else if (result === 'FAILED') run.failed += 1;
    }
    return run;
  }

  /** Takes up to a batch of deliverable rows under `lease` until now + leaseMs. */
  private async claim(lease: string): Promise<Notification[]> {
    const now = this.now();
    // An idle outbox is the usual case: look first with a plain read (on SQLite, the reader
    // connection), so polling takes no write transaction, and on SQLite not the one write lock
    // every mutation waits for, until there is something to claim.
    if (!(await this.anyDeliverable(now))) return [];
    const until = new Date(now.getTime() + this.leaseMs);
    return this.db.transaction(async ({ manager: m }) => {
      const ids =
        this.db.kind === 'postgres'
          ? await this.claimPostgres(m, lease, until, now)
          : await this.claimSqlite(m, lease, until, now);
      if (ids.length === 0) return [];
      return m.find(Notification, {
        where: { id: In(ids), claimedBy: lease },
        order: { id: 'ASC' },
      });
    });
  }

  private async anyDeliverable(now: Date): Promise<boolean> {
    const row: unknown = await this.deliverable(
      this.db.manager.createQueryBuilder(Notification, 'n'),
      now,
    )
      .select('n.id', 'id')
      .limit(1)
      .getRawOne();
    return !!row;
  }

  /** PENDING rows whose lease (or retry delay) is over. */
  private deliverable(query: SelectQueryBuilder<Notification>, now: Date) {
    return query
      .where('n.status = :status', { status: PENDING })
      .andWhere('(n.claimedUntil IS NULL OR n.claimedUntil < :now)', { now: now.toISOString() });
  }

  private async claimPostgres(m: EntityManager, lease: string, until: Date, now: Date) {
    const raw: unknown = await m.query(
      `UPDATE "notifications" SET "claimedBy" = $1, "claimedUntil" = $2
       WHERE "id" IN (
         SELECT "id" FROM "notifications"
         WHERE "status" = $3 AND ("claimedUntil" IS NULL OR "claimedUntil" < $4)
         ORDER BY "id" LIMIT $5
         FOR UPDATE SKIP LOCKED)
       RETURNING "id"`,
      [lease, until.toISOString(), PENDING, now.toISOString(), this.batchSize],
    );
    // TypeORM's postgres driver answers an UPDATE with [rows, affected].
    const rows = (Array.isArray(raw) && Array.isArray(raw[0]) ? raw[0] : raw) as { id: number }[];
    return rows.map((r) => Number(r.id));
  }

  /** SQLite: writers are serialized, and the UPDATE re-checks the lease, so two steps are safe. */
  private async claimSqlite(m: EntityManager, lease: string, until: Date, at: Date) {
    const now = at.toISOString();
    const candidates = await this.deliverable(m.createQueryBuilder(Notification, 'n'), at)
      .select('n.id', 'id')
      .orderBy('n.id', 'ASC')
      .limit(this.batchSize)
      .getRawMany<{ id: number }>();
    if (candidates.length === 0) return [];
    const ids = candidates.map((c) => Number(c.id));
    await m
      .createQueryBuilder()
      .update(Notification)
      .set({ claimedBy: lease, claimedUntil: until })
      .where('id IN (:...ids)', { ids })
      .andWhere('status = :status', { status: PENDING })
      .andWhere('(claimedUntil IS NULL OR claimedUntil < :now)', { now })
      .execute();
    return ids;
  }

  private async dispatch(n: Notification, lease: string): Promise<SendResult | 'FAILED' | 'LOST'> {
    // Sends take time (an SMTP server may stall up to its timeout): a row late in the batch may
    // have outlived its claim, and another worker may be sending it. Renew the claim first, and
    // leave the row alone if it was lost.
    if (!(await this.renew(n, lease))) return 'LOST';
    const attempts = n.attempts + 1;
    const startedAt = this.now();
    try {
      const buyer = await this.db.manager.findOne(Buyer, { where: { id: n.buyerId } });
      if (!buyer) throw new Error('buyer not found');
      const result = await this.adapters[n.channel].send(n, buyer);
      const outcome =
        result === 'SENT'
          ? NotificationAttemptOutcome.SENT
          : NotificationAttemptOutcome.ALREADY_SENT;
      await this.settle(
        n,
        lease,
        { outcome, attempt: attempts, startedAt, error: null },
        {
          status: NotificationStatus.SENT,
          sentAt: this.now(),
          attempts,
          claimedUntil: null,
        },
      );
      return result;
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      const giveUp = permanent || attempts >= this.maxAttempts;
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      this.log.warn('notification send failed', {
        notificationId: n.id,
        attempts,
        giveUp,
        error: message,
      });
      const outcome = giveUp ? NotificationAttemptOutcome.FAILED : NotificationAttemptOutcome.RETRY;
      await this.settle(
        n,
        lease,
        { outcome, attempt: attempts, startedAt, error: message },
        {
          status: giveUp ? NotificationStatus.FAILED : PENDING,
          attempts,
          lastError: message,
          // Not before the retry delay: the claim condition skips rows whose lease is in the future.
          claimedUntil: giveUp
            ? null
            : new Date(this.now().getTime() + this.retryDelayMs(attempts)),
        },
      );
      return 'FAILED';
    }
  }

  /** Extends this worker's claim on `n` to a full lease from now; false if the claim was lost. */
  private async renew(n: Notification, lease: string): Promise<boolean> {
    const now = this.now();
    const result = await this.db.transaction(({ manager }) =>
      manager
        .createQueryBuilder()
        .update(Notification)
        .set({ claimedUntil: new Date(now.getTime() + this.leaseMs) })
        .where('id = :id AND claimedBy = :lease', { id: n.id, lease })
        .andWhere('status = :status', { status: PENDING })
        .andWhere('claimedUntil >= :now', { now: now.toISOString() })
        .execute(),
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * Records the attempt and, unless the lease was lost to another worker meanwhile, the row's
   * outcome: one short transaction after the send, never around it.
   */
  private async settle(
    n: Notification,
    lease: string,
    attempt: Pick<NotificationAttempt, 'outcome' | 'attempt' | 'startedAt' | 'error'>,
    changes: Partial<Notification>,
  ) {
    await this.db.transaction(async ({ manager }) => {
      await manager.insert(NotificationAttempt, {
        notificationId: n.id,
        attempt: attempt.attempt,
        channel: n.channel,
        outcome: attempt.outcome,
        error: attempt.error,
        startedAt: attempt.startedAt,
        finishedAt: this.now(),
      });
      await manager.update(
        Notification,
        { id: n.id, claimedBy: lease },
        { ...changes, claimedBy: null },
      );
    });
  }
}
