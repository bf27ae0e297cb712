import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

/** What a limiter says about one request. */
export interface Take {
  ok: boolean;
  /** Whole seconds until the request would fit (0 when ok). */
  retryAfterSeconds: number;
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

  constructor(options: RateLimitOptions, store: RateLimitStore = {}) {
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
      await this.limiter.consume(key, cost);
      return { ok: true, retryAfterSeconds: 0 };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      // consume() counts the points before it refuses; give them back.
      await this.limiter.reward(key, cost).catch(() => undefined);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    }
  }
}
