import type { Viewer } from '../auth/viewer';
import type { RateLimit, Take } from './rate-limit';

/**
 * Cost feedback in the shape of Shopify's GraphQL Admin API
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits): every response carries
 * `extensions.cost`, and the budget is charged what a request really cost. The requested cost
 * (the worst case, src/http/query-cost.ts operationCost) is reserved before the operation runs,
 * so a request that cannot be afforded is refused before doing any work; the difference to the
 * actual cost (actualCost, from what came back) is refunded after it ran.
 */
export interface ThrottleStatus {
  /** The bucket size: the most points a token may spend at once. */
  maximumAvailable: number;
  /** Points the token has left now. */
  currentlyAvailable: number;
  /** Points earned back per second, on average (the bucket refills at the end of its window). */
  restoreRate: number;
}

export interface CostExtension {
  requestedQueryCost: number;
  /** null when the operation did not run (refused). */
  actualQueryCost: number | null;
  /** null when no budget applies: anonymous callers, or rate limits off. */
  throttleStatus: ThrottleStatus | null;
}

/** What one request reserved of its token's budget. */
export interface Reservation {
  key: string;
  requested: number;
  take: Take;
}

export class CostBudget {
  constructor(
    private readonly bucket: RateLimit | null,
    private readonly restoreRate: number,
  ) {}

  /** Reserves the requested cost of a token's budget; null when no budget applies. */
  async reserve(viewer: Viewer | null, requested: number): Promise<Reservation | null> {
    if (!this.bucket || !viewer) return null;
    const key = `token:${viewer.tokenId}`;
    return { key, requested, take: await this.bucket.take(key, requested) };
  }

  /** Charges the actual cost: refunds what the reservation held beyond it. */
  async settle(reservation: Reservation | null, actual: number): Promise<Take | null> {
    if (!this.bucket || !reservation) return null;
    if (!reservation.take.ok) return reservation.take;
    const refund = reservation.requested - Math.min(actual, reservation.requested);
    return refund > 0 ? this.bucket.refund(reservation.key, refund) : reservation.take;
  }

  /** `extensions.cost` of a response. */
  extension(requested: number, actual: number | null, take: Take | null): CostExtension {
    return {
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus:
        this.bucket && take
          ? {
              maximumAvailable: this.bucket.points,
              currentlyAvailable: take.remaining,
              restoreRate: this.restoreRate,
            }
          : null,
    };
  }

  /**
   * The IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy` with the
   * quota `q` per window `w` seconds, `RateLimit` with what remains `r` and the seconds `t` until
   * it resets), and `Retry-After` when refused.
   */
  headers(take: Take | null): [string, string][] {
    if (!this.bucket || !take) return [];
    const headers: [string, string][] = [
      ['ratelimit-policy', `"cost";q=${this.bucket.points};w=${this.bucket.seconds}`],
      ['ratelimit', `"cost";r=${Math.floor(take.remaining)};t=${take.resetSeconds}`],
    ];
    if (!take.ok) headers.push(['retry-after', `${take.retryAfterSeconds}`]);
    return headers;
  }
}
