import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { In } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { WebhookSettings } from '../config/config';
import type { Logger } from '../config/logger';
import type { Database } from '../db/database';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../entities';
import { WebhookDeliveryStatus, WebhookEndpointStatus } from '../entities/enums';
import { EVENT_ID_HEADER } from '../webhooks/outgoing';
import { SIGNATURE_HEADER, signatureHeader } from '../webhooks/signature';
import { publicOnlyLookup, webhookUrlProblem } from '../webhooks/url-policy';
import type { Resolve } from '../webhooks/url-policy';
import { Poller } from './poller';

/** What the worker POSTs with; tests pass fakes. */
export type Post = (
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
) => Promise<{ status: number }>;

/**
 * POSTs with node:http(s), whose socket resolves the host through publicOnlyLookup unless the
 * host is allow-listed; redirects are not followed (a 3xx is a failed attempt). The whole
 * exchange up to the response status must fit in `timeoutMs`.
 */
export function httpPost(allowedHosts: readonly string[]): Post {
  return (url, { headers, body, timeoutMs }) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          lookup: allowedHosts.includes(host) ? undefined : publicOnlyLookup,
        },
        (res) => {
          clearTimeout(timer);
          res.resume();
          resolve({ status: res.statusCode ?? 0 });
        },
      );
      const timer = setTimeout(() => {
        const timeout = new Error(`No answer within ${timeoutMs} ms`);
        timeout.name = 'TimeoutError';
        req.destroy(timeout);
      }, timeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(body);
    });
}

export interface WebhookWorkerOptions {
  workerId?: string;
  batchSize?: number;
  /** How long a claim is held: longer than a POST may take (timeoutMs). */
  leaseMs?: number;
  post?: Post;
  resolve?: Resolve;
  now?: () => Date;
}

export interface WebhookRun {
  claimed: number;
  delivered: number;
  failed: number;
}

const PENDING = WebhookDeliveryStatus.PENDING;

/**
 * Delivers the webhook outbox at least once: claims due PENDING deliveries with a lease
 * (PostgreSQL: FOR UPDATE SKIP LOCKED, so instances never take the same row; an expired lease
 * is taken over after a crash), POSTs each signed body, logs the attempt and settles the row:
 * 2xx DELIVERED; otherwise retried with exponential backoff until FAILED. An endpoint whose
 * deliveries fail `disableAfter` times in a row is DISABLED with the reason for its owner.
 * The event id never changes, so a receiver that dedupes on it sees each event exactly once.
 */
export class WebhookWorker {
  readonly workerId: string;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly post: Post;
  private readonly resolve: Resolve | undefined;
  private readonly now: () => Date;
  private readonly log: Logger;
  private claims = 0;
  private readonly poller: Poller<WebhookRun>;

  constructor(
    private readonly db: Database,
    private readonly settings: WebhookSettings,
    logger: Logger,
    options: WebhookWorkerOptions = {},
  ) {
    this.workerId = options.workerId ?? randomUUID();
    this.batchSize = options.batchSize ?? 10;
    this.leaseMs = options.leaseMs ?? settings.timeoutMs * 2 + 10_000;
    this.post = options.post ?? httpPost(settings.allowedHosts);
    this.resolve = options.resolve;
    this.now = options.now ?? (() => new Date());
    this.log = logger.child({ component: 'webhook-worker', workerId: this.workerId });
    this.poller = new Poller(() => this.round(), {
      intervalMs: this.settings.pollMs,
      full: (run) => run.claimed === this.batchSize,
      onError: (error) => this.log.error('webhook run failed', { error: String(error) }),
    });
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** One claim-and-send round; concurrent calls share the round in progress. */
  runOnce(): Promise<WebhookRun> {
    return this.poller.runOnce();
  }

  private async round(): Promise<WebhookRun> {
    const lease = `${this.workerId}#${++this.claims}`;
    const batch = await this.claim(lease);
    const run: WebhookRun = { claimed: batch.length, delivered: 0, failed: 0 };
    for (const delivery of batch) {
      if (await this.deliver(delivery, lease)) run.delivered += 1;
      else run.failed += 1;
    }
    return run;
  }

  /** Due rows: PENDING, past their backoff, and not under a live lease. */
  private dueQuery(m: EntityManager, now: string) {
    return m
      .createQueryBuilder(WebhookDelivery, 'd')
      .select('d.id', 'id')
      .where('d.status = :status', { status: PENDING })
      .andWhere('d.nextAttemptAt <= :now', { now })
      .andWhere('(d.claimedUntil IS NULL OR d.claimedUntil < :now)', { now })
      .orderBy('d.id', 'ASC')
      .limit(this.batchSize);
  }

  private async claim(lease: string): Promise<WebhookDelivery[]> {
    const at = this.now();
    const now = at.toISOString();
    // Idle is the usual case: a plain read first, so polling takes no write transaction.
    if (!(await this.dueQuery(this.db.manager, now).getRawOne())) return [];
    const until = new Date(at.getTime() + this.leaseMs);
    return this.db.transaction(async ({ manager: m }) => {
      let ids: number[];
      if (this.db.kind === 'postgres') {
        const raw: unknown = await m.query(
          `UPDATE "webhook_deliveries" SET "claimedBy" = $1, "claimedUntil" = $2
           WHERE "id" IN (
             SELECT "id" FROM "webhook_deliveries"
             WHERE "status" = $3 AND "nextAttemptAt" <= $4
               AND ("claimedUntil" IS NULL OR "claimedUntil" < $4)
             ORDER BY "id" LIMIT $5
             FOR UPDATE SKIP LOCKED)
           RETURNING "id"`,
          [lease, until.toISOString(), PENDING, now, this.batchSize],
        );
        const rows = (Array.isArray(raw) && Array.isArray(raw[0]) ? raw[0] : raw) as {
          id: number;
        }[];
        ids = rows.map((r) => Number(r.id));
      } else {
        // SQLite serializes writers and the UPDATE re-checks the lease: two steps are safe.
        ids = (await this.dueQuery(m, now).getRawMany<{ id: number }>()).map((r) => Number(r.id));
        if (ids.length === 0) return [];
        await m
          .createQueryBuilder()
          .update(WebhookDelivery)
          .set({ claimedBy: lease, claimedUntil: until })
          .where('id IN (:...ids)', { ids })
          .andWhere('status = :status', { status: PENDING })
          .andWhere('(claimedUntil IS NULL OR claimedUntil < :now)', { now })
          .execute();
      }
      if (ids.length === 0) return [];
      return m.find(WebhookDelivery, { where: { id: In(ids), claimedBy: lease } });
    });
  }

  /** Sends one delivery outside any transaction, then records the attempt and its outcome. */
  private async deliver(d: WebhookDelivery, lease: string): Promise<boolean> {
    const endpoint = await this.db.manager.findOneBy(WebhookEndpoint, { id: d.endpointId });
    const attemptNo = d.attempts + 1;
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    if (!endpoint || endpoint.status !== WebhookEndpointStatus.ACTIVE) {
      error = 'The endpoint is disabled or deleted.';
    } else {
      // Checked again at delivery: the host may resolve somewhere private by now.
      error = await webhookUrlProblem(endpoint.url, {
        allowedHosts: this.settings.allowedHosts,
        resolve: this.resolve,
      });
      if (!error) {
        try {
          const res = await this.post(endpoint.url, {
            headers: {
              'content-type': 'application/json',
              'user-agent': 'Countersign-Webhooks/1',
              [SIGNATURE_HEADER]: signatureHeader(
                endpoint.secret,
                d.payload,
                Math.floor(this.now().getTime() / 1000),
              ),
              [EVENT_ID_HEADER]: d.eventId,
            },
            body: d.payload,
            timeoutMs: this.settings.timeoutMs,
          });
          statusCode = res.status;
          if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
        } catch (e) {
          // A DOMException (the timeout's) is not always an Error instance: test the name.
          const { name, message } = e as { name?: unknown; message?: unknown };
          error =
            name === 'TimeoutError'
              ? 'Timed out'
              : typeof message === 'string'
                ? message
                : String(e);
        }
      }
    }
    const ok = error === null;
    const inactive = !endpoint || endpoint.status !== WebhookEndpointStatus.ACTIVE;
    const giveUp = !ok && (attemptNo >= this.settings.maxAttempts || inactive);
    const now = this.now();
    const backoff = Math.min(
      this.settings.maxBackoffMs,
      this.settings.backoffBaseMs * 2 ** (attemptNo - 1),
    );
    if (!ok) {
      this.log.warn('webhook delivery failed', {
        deliveryId: d.id,
        attemptNo,
        giveUp,
        error,
      });
    }
    await this.db.transaction(async ({ manager: m }) => {
      const settled = await m.update(
        WebhookDelivery,
        { id: d.id, claimedBy: lease, status: PENDING },
        {
          status: ok
            ? WebhookDeliveryStatus.DELIVERED
            : giveUp
              ? WebhookDeliveryStatus.FAILED
              : PENDING,
          attempts: attemptNo,
          deliveredAt: ok ? now : null,
          nextAttemptAt: ok || giveUp ? d.nextAttemptAt : new Date(now.getTime() + backoff),
          claimedBy: null,
          claimedUntil: null,
        },
      );
      // A lost lease (another worker took over) records nothing: its attempt is the one logged.
      if (!settled.affected) return;
      await m.insert(WebhookAttempt, {
        deliveryId: d.id,
        attemptNo,
        statusCode,
        error: error?.slice(0, 500) ?? null,
        durationMs: Date.now() - started,
        at: now,
      });
      if (endpoint && ok) {
        await m.update(WebhookEndpoint, { id: endpoint.id }, { consecutiveFailures: 0 });
      } else if (endpoint && giveUp && !inactive) {
        await this.countFailure(m, endpoint, now);
      }
    });
    return ok;
  }

  private async countFailure(m: EntityManager, endpoint: WebhookEndpoint, now: Date) {
    await m
      .createQueryBuilder()
      .update(WebhookEndpoint)
      .set({ consecutiveFailures: () => '"consecutiveFailures" + 1' })
      .where('id = :id', { id: endpoint.id })
      .execute();
    const fresh = await m.findOneByOrFail(WebhookEndpoint, { id: endpoint.id });
    if (
      fresh.status !== WebhookEndpointStatus.ACTIVE ||
      fresh.consecutiveFailures < this.settings.disableAfter
    ) {
      return;
    }
    const reason =
      `Disabled after ${fresh.consecutiveFailures} deliveries in a row failed ` +
      `(${this.settings.maxAttempts} attempts each); fix the endpoint and register it again.`;
    await m.update(
      WebhookEndpoint,
      { id: endpoint.id },
      { status: WebhookEndpointStatus.DISABLED, disabledAt: now, disabledReason: reason },
    );
    this.log.warn('webhook endpoint disabled', {
      endpointId: endpoint.id,
      sellerId: fresh.sellerId,
    });
  }
}
