import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Viewer } from '../auth/viewer';
import { ErrorCode } from '../core/errors';
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

  /** Refused by the budget: THROTTLED (Shopify's code), carrying the cost; 429 over HTTP. */
  throttledError(reservation: Reservation, message: string, overHttp: boolean): GraphQLError {
    const cost = this.extension(reservation.requested, null, reservation.take);
    const http = { status: 429, headers: new HeaderMap(this.headers(reservation.take)) };
    return new GraphQLError(message, {
      extensions: {
        code: ErrorCode.THROTTLED,
        limit: 'COST',
        retryAfterSeconds: reservation.take.retryAfterSeconds,
        cost,
        ...(overHttp ? { http } : {}),
      },
    });
  }

  /**
   * After an operation: charges its actual cost (`actual`, null when it did not run) against
   * what it reserved, and answers its `extensions.cost` and rate limit headers. A refund that
   * fails (Redis down) is reported and the reservation stands.
   */
  async settleOperation(
    admitted: { reservation: Reservation | null; requested: number } | null,
    actual: (() => number) | null,
    onRefundError: (error: unknown) => void,
  ): Promise<{ cost: CostExtension; headers: [string, string][] }> {
    const { reservation = null, requested = 0 } = admitted ?? {};
    if (reservation && !reservation.take.ok) {
      return {
        cost: this.extension(requested, null, reservation.take),
        headers: this.headers(reservation.take),
      };
    }
    const charged = actual ? actual() : 0;
    const take = await this.settle(reservation, charged).catch((error: unknown) => {
      onRefundError(error);
      return reservation?.take ?? null;
    });
    return { cost: this.extension(requested, charged, take), headers: this.headers(take) };
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
