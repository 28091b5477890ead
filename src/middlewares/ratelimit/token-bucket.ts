/** Outcome of taking one token: allowed (maybe after `waitMs`), or refused with the wait that would be needed. */
export interface Take {
  allowed: boolean;
  waitMs: number;
}

/** Local token buckets per source: `rate` tokens per ms, capacity `burst`. */
export class LocalBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly maxDelayMs: number,
  ) {}

  take(key: string, now = Date.now()): Take {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= 65_536) this.prune(now);
      b = { tokens: this.burst, at: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.rate);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, waitMs: 0 };
    }
    const waitMs = (1 - b.tokens) / this.rate;
    if (waitMs <= this.maxDelayMs) {
      b.tokens -= 1; // reserved: the request goes after the wait
      return { allowed: true, waitMs };
    }
    return { allowed: false, waitMs };
  }

  /** Forgets buckets that are full again (they behave like new ones). */
  private prune(now: number): void {
    for (const [key, b] of this.buckets)
      if (b.tokens + (now - b.at) * this.rate >= this.burst) this.buckets.delete(key);
  }
}

/** Longest wait before 429 (Traefik's rule): half the interval between tokens, 500 ms when rate < 1/s. */
export function maxDelayMs(ratePerMs: number): number {
  const perSecond = ratePerMs * 1000;
  return perSecond < 1 ? 500 : 1000 / (2 * perSecond);
}
