import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

/** What a limiter says about one request. */
export interface Take {
  ok: boolean;
  /** Whole seconds until the request would fit (0 when ok). */
  retryAfterSeconds: number;
  /** Points left in the key's window after this take (or refund). */
  remaining: number;
  /** Whole seconds until the key's window restarts full. */
  resetSeconds: number;
}

export interface RateLimitOptions {
  /** Names the counters (`ip`, `cost`, …): keys are `<prefix>limit:<name>:<key>`. */
  name: string;
  /** Points a key may spend per window. */
  points: number;
  /** The window, in seconds (fixed windows, starting at a key's first request). */
  seconds: number;
}

/**
 * Where counters live. With `redis` every instance of a deployment counts in the same keys
 * (under `prefix`), so a client's limit is the same however many instances it reaches; without
 * it each process counts on its own.
 */
export interface RateLimitStore {
  redis?: Redis | null;
  prefix?: string;
}

/**
 * Counters by key (IP, token, seller) over rate-limiter-flexible. In Redis they are shared; while
 * Redis is not ready the process counts in memory instead (`insuranceLimiter`), so an outage
 * neither stops every request nor lifts the limit.
 */
export class RateLimit {
  private readonly limiter: RateLimiterAbstract;
  /** Points a key may spend per window. */
  readonly points: number;
  /** The window, in seconds. */
  readonly seconds: number;

  constructor(options: RateLimitOptions, store: RateLimitStore = {}) {
    this.points = options.points;
    this.seconds = options.seconds;
    const { points, seconds: duration } = options;
    const keyPrefix = `${store.prefix ?? ''}limit:${options.name}`;
    const memory = new RateLimiterMemory({ points, duration, keyPrefix });
    this.limiter = store.redis
      ? new RateLimiterRedis({
          storeClient: store.redis,
          points,
          duration,
          keyPrefix,
          rejectIfRedisNotReady: true,
          insuranceLimiter: memory,
        })
      : memory;
  }

  /** Spends `cost` points of the key's window if they fit; a refused request spends none. */
  async take(key: string, cost = 1): Promise<Take> {
    try {
      return this.state(await this.limiter.consume(key, cost), true);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      // consume() counts the points before it refuses; give them back.
      const after = await this.limiter.reward(key, cost).catch(() => refusal);
      return this.state(after, false);
    }
  }

  /** Gives back points taken earlier (what a request reserved and did not use). */
  async refund(key: string, points: number): Promise<Take> {
    return this.state(await this.limiter.reward(key, points), true);
  }

  private state(res: RateLimiterRes, ok: boolean): Take {
    const resetSeconds = Math.max(0, Math.ceil(res.msBeforeNext / 1000));
    return {
      ok,
      retryAfterSeconds: ok ? 0 : Math.max(1, resetSeconds),
      remaining: Math.max(0, Math.min(this.points, this.points - res.consumedPoints)),
      resetSeconds,
    };
  }
}
