/** What a limiter says about one request. */
export interface Take {
  ok: boolean;
  /** Whole seconds until the request would fit (0 when ok). */
  retryAfterSeconds: number;
}

export interface TokenBucketOptions {
  /** Most tokens a key can hold (the burst). */
  capacity: number;
  /** Tokens a key earns back per second. */
  refillPerSecond: number;
  /** Keys kept before idle (full) buckets are dropped; bounds memory under an IP spray. */
  maxKeys?: number;
  /** Milliseconds clock; tests pass their own. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * In-memory token buckets by key (IP, token, seller). Per process: with several instances
 * behind a balancer each keeps its own buckets, so a client's effective limit is multiplied.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketOptions) {
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes `cost` tokens from the key's bucket if it holds them; otherwise takes none. */
  take(key: string, cost = 1): Take {
    const { capacity, refillPerSecond } = this.options;
    const now = this.now();
    const bucket = this.refilled(key, now);
    if (cost <= bucket.tokens) {
      bucket.tokens -= cost;
      return { ok: true, retryAfterSeconds: 0 };
    }
    // A cost above the capacity can never fit; say when a full bucket would be there.
    const missing = Math.min(cost, capacity) - bucket.tokens;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / refillPerSecond)) };
  }

  /** Keys currently tracked (for tests of the memory bound). */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, now: number): Bucket {
    const { capacity, refillPerSecond } = this.options;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.evict(now);
      bucket = { tokens: capacity, at: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * refillPerSecond);
    bucket.at = now;
    return bucket;
  }

  /**
   * Drops buckets that have refilled (forgetting them changes nothing); if that frees too little,
   * the oldest tenth, so a spray of new keys costs one scan per many requests, not per request.
   */
  private evict(now: number): void {
    const { capacity, refillPerSecond } = this.options;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * refillPerSecond >= capacity) {
        this.buckets.delete(key);
      }
    }
    if (this.buckets.size < this.maxKeys * 0.9) return;
    let drop = Math.ceil(this.maxKeys / 10);
    for (const key of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}
