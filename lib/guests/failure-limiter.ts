/**
 * Per-address token buckets for FAILED guest-link look-ups and
 * redemptions (KONF.11.5, INV-05). Only failures take a token, so a whole
 * office redeeming valid links from one NAT address is never slowed down;
 * an address that keeps guessing gets 429 with Retry-After until its bucket
 * refills. In memory, per portal process.
 */
export interface FailureLimiterOptions {
  /** Failures allowed at once. */
  capacity: number;
  /** Tokens regained per second. */
  refillPerSecond: number;
  now: () => number;
  /** Buckets kept at most; full (idle) buckets are dropped first. */
  maxKeys?: number;
}

export interface FailureLimiter {
  /** Seconds until the next attempt may fail without being refused; 0 = not limited. */
  retryAfter(key: string): number;
  /** Takes one token; returns the new retryAfter (0 while tokens remain). */
  recordFailure(key: string): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createFailureLimiter(opts: FailureLimiterOptions): FailureLimiter {
  const buckets = new Map<string, Bucket>();
  const maxKeys = opts.maxKeys ?? 50_000;

  const current = (key: string): Bucket => {
    const now = opts.now();
    const b = buckets.get(key);
    if (!b) return { tokens: opts.capacity, at: now };
    const elapsed = Math.max(0, now - b.at) / 1000;
    return { tokens: Math.min(opts.capacity, b.tokens + elapsed * opts.refillPerSecond), at: now };
  };

  const waitFor = (b: Bucket): number => (b.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - b.tokens) / opts.refillPerSecond)));

  const prune = () => {
    if (buckets.size < maxKeys) return;
    for (const [k] of buckets) {
      if (current(k).tokens >= opts.capacity) buckets.delete(k);
    }
    // Still full: an address flood. Forget the oldest entries rather than grow without bound.
    while (buckets.size >= maxKeys) {
      const oldest = buckets.keys().next().value;
      if (oldest === undefined) break;
      buckets.delete(oldest);
    }
  };

  return {
    retryAfter(key) {
      return waitFor(current(key));
    },
    recordFailure(key) {
      const b = current(key);
      b.tokens = Math.max(0, b.tokens - 1);
      buckets.delete(key);
      prune();
      buckets.set(key, b);
      return waitFor(b);
    },
  };
}

/** Ten failures at once, then one every ten seconds per address. */
export const GUEST_FAILURE_LIMIT = { capacity: 10, refillPerSecond: 0.1 } as const;
