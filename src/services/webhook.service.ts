import { randomBytes } from 'node:crypto';
import { In, IsNull } from 'typeorm';
import { requireViewer } from '../auth/guards';
import { isAdmin, isSeller } from '../auth/viewer';
import type { Viewer } from '../auth/viewer';
import type { Clock } from '../core/clock';
import { forbidden } from '../core/errors';
import type { Page } from '../core/page';
import type { RequestContext } from '../core/request-context';
import { UserErrorCode, decodeId, fail } from '../core/user-error';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../entities';
import { WebhookDeliveryStatus, WebhookEndpointStatus } from '../entities/enums';
import { WEBHOOK_EVENTS } from '../webhooks/outgoing';
import { webhookUrlProblem } from '../webhooks/url-policy';
import type { Resolve } from '../webhooks/url-policy';
import type { ServiceDeps } from './deps';
import { keysetPage } from './pagination';
import type { PageArgs } from './pagination';

/** Most endpoints one owner may register. */
export const MAX_ENDPOINTS = 10;

/**
 * Outgoing webhook endpoints and their deliveries. A seller owns its endpoints; platform staff
 * own the platform's (no seller), which receive every seller's events. Nobody else sees either.
 */
export class WebhookService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly clock: Clock,
    private readonly resolve?: Resolve,
  ) {}

  /** The owner the viewer acts for: its seller id, or null for staff (the platform). */
  private owner(ctx: RequestContext): number | null {
    const viewer = requireViewer(ctx);
    if (isSeller(viewer)) return viewer.sellerId;
    if (isAdmin(viewer)) return null;
    throw forbidden('Only sellers and platform staff have webhook endpoints');
  }

  private ownedBy(viewer: Viewer | null, endpoint: WebhookEndpoint | null): boolean {
    if (!viewer || !endpoint) return false;
    if (isSeller(viewer)) return endpoint.sellerId === viewer.sellerId;
    return isAdmin(viewer) && endpoint.sellerId === null;
  }

  async create(
    ctx: RequestContext,
    input: { url: string; events: string[] },
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const sellerId = this.owner(ctx);
    const url = input.url.trim();
    if (url.length > 2000)
      fail(UserErrorCode.INVALID_INPUT, 'The URL is too long.', ['input', 'url']);
    const events = [...new Set(input.events)];
    if (events.length === 0) {
      fail(UserErrorCode.INVALID_INPUT, 'Subscribe to at least one event.', ['input', 'events']);
    }
    const unknown = events.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
    if (unknown.length > 0) {
      fail(
        UserErrorCode.INVALID_INPUT,
        `Unknown events: ${unknown.slice(0, 5).join(', ')}. Known: ${WEBHOOK_EVENTS.join(', ')}.`,
        ['input', 'events'],
      );
    }
    // Resolved before the transaction: no network wait while holding a write lock.
    const problem = await webhookUrlProblem(url, {
      allowedHosts: this.deps.config.webhooks.allowedHosts,
      resolve: this.resolve,
    });
    if (problem) fail(UserErrorCode.WEBHOOK_URL_NOT_ALLOWED, problem, ['input', 'url']);
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    return this.deps.db.transaction(async ({ manager: m }) => {
      const count = await m.count(WebhookEndpoint, {
        where: { sellerId: sellerId ?? IsNull(), status: WebhookEndpointStatus.ACTIVE },
      });
      if (count >= MAX_ENDPOINTS) {
        fail(UserErrorCode.INVALID_INPUT, `At most ${MAX_ENDPOINTS} endpoints.`, ['input']);
      }
      const endpoint = m.create(WebhookEndpoint, {
        sellerId,
        url,
        events,
        secret,
        status: WebhookEndpointStatus.ACTIVE,
        consecutiveFailures: 0,
        disabledAt: null,
        disabledReason: null,
        createdAt: this.clock(),
      });
      await m.insert(WebhookEndpoint, endpoint);
      return { endpoint, secret };
    });
  }

  /** Deletes an endpoint; its undelivered deliveries are given up. */
  async delete(ctx: RequestContext, input: { endpointId: string }): Promise<{ deletedId: string }> {
    this.owner(ctx);
    const id = decodeId(input.endpointId, 'WebhookEndpoint', ['input', 'endpointId']);
    return this.deps.db.transaction(async ({ manager: m }) => {
      const endpoint = await m.findOneBy(WebhookEndpoint, { id });
      if (!this.ownedBy(ctx.viewer, endpoint)) this.endpointNotFound();
      await m.update(
        WebhookDelivery,
        { endpointId: id, status: WebhookDeliveryStatus.PENDING },
        { status: WebhookDeliveryStatus.FAILED, claimedBy: null, claimedUntil: null },
      );
      await m.delete(WebhookEndpoint, { id });
      return { deletedId: input.endpointId };
    });
  }

  /**
   * Sends a delivery's event again, as a new delivery with the same event id and body (a
   * receiver that already processed it recognizes it).
   */
  async redeliver(
    ctx: RequestContext,
    input: { deliveryId: string },
  ): Promise<{ delivery: WebhookDelivery }> {
    this.owner(ctx);
    const id = decodeId(input.deliveryId, 'WebhookDelivery', ['input', 'deliveryId']);
    return this.deps.db.transaction(async ({ manager: m }) => {
      const original = await m.findOneBy(WebhookDelivery, { id });
      const endpoint = original
        ? await m.findOneBy(WebhookEndpoint, { id: original.endpointId })
        : null;
      if (!original || !endpoint || !this.ownedBy(ctx.viewer, endpoint)) {
        fail(UserErrorCode.WEBHOOK_DELIVERY_NOT_FOUND, 'No such webhook delivery.', [
          'input',
          'deliveryId',
        ]);
      }
      if (endpoint.status !== WebhookEndpointStatus.ACTIVE) {
        fail(UserErrorCode.WEBHOOK_ENDPOINT_DISABLED, endpoint.disabledReason ?? 'Disabled.', [
          'input',
          'deliveryId',
        ]);
      }
      const now = this.clock();
      const delivery = m.create(WebhookDelivery, {
        endpointId: original.endpointId,
        event: original.event,
        eventId: original.eventId,
        payload: original.payload,
        status: WebhookDeliveryStatus.PENDING,
        attempts: 0,
        nextAttemptAt: now,
        claimedBy: null,
        claimedUntil: null,
        deliveredAt: null,
        createdAt: now,
      });
      await m.insert(WebhookDelivery, delivery);
      return { delivery };
    });
  }

  private endpointNotFound(): never {
    return fail(UserErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND, 'No such webhook endpoint.', [
      'input',
      'endpointId',
    ]);
  }

  /** The viewer's endpoints (a seller's own; staff: the platform's), oldest first. */
  async list(ctx: RequestContext): Promise<WebhookEndpoint[]> {
    const sellerId = this.owner(ctx);
    return this.deps.db.manager
      .createQueryBuilder(WebhookEndpoint, 'e')
      .where(sellerId === null ? 'e.sellerId IS NULL' : 'e.sellerId = :sellerId', { sellerId })
      .orderBy('e.id', 'ASC')
      .getMany();
  }

  /** An endpoint's deliveries, newest first; not the viewer's: forbidden to tell apart from none. */
  async deliveries(
    ctx: RequestContext,
    endpointId: string,
    args: PageArgs,
  ): Promise<Page<WebhookDelivery>> {
    this.owner(ctx);
    const id = decodeId(endpointId, 'WebhookEndpoint', ['endpointId']);
    const endpoint = await this.deps.db.manager.findOneBy(WebhookEndpoint, { id });
    const query = this.deps.db.manager
      .createQueryBuilder(WebhookDelivery, 'd')
      .where('d.endpointId = :id', { id: this.ownedBy(ctx.viewer, endpoint) ? id : -1 });
    return keysetPage(query, 'd', 'createdAt', args);
  }

  async attempts(deliveryIds: readonly number[]): Promise<Map<number, WebhookAttempt[]>> {
    const rows = await this.deps.db.manager.find(WebhookAttempt, {
      where: { deliveryId: In([...deliveryIds]) },
      order: { attemptNo: 'ASC', id: 'ASC' },
    });
    const byDelivery = new Map<number, WebhookAttempt[]>();
    for (const row of rows) {
      byDelivery.set(row.deliveryId, [...(byDelivery.get(row.deliveryId) ?? []), row]);
    }
    return byDelivery;
  }

  /** For `node(id)`. */
  async findVisibleEndpoint(ctx: RequestContext, id: number): Promise<WebhookEndpoint | null> {
    const endpoint = await this.deps.db.manager.findOneBy(WebhookEndpoint, { id });
    return this.ownedBy(requireViewer(ctx), endpoint) ? endpoint : null;
  }

  async findVisibleDelivery(ctx: RequestContext, id: number): Promise<WebhookDelivery | null> {
    const delivery = await this.deps.db.manager.findOneBy(WebhookDelivery, { id });
    if (!delivery) return null;
    return (await this.findVisibleEndpoint(ctx, delivery.endpointId)) ? delivery : null;
  }
}
