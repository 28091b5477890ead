import { localBuckets } from '../middlewares/ratelimit/rate-limit.js';
import { LocalBuckets, type Take } from '../middlewares/ratelimit/token-bucket.js';

/**
 * The primary's side of instance-wide limits: token buckets and in-flight counts for every worker.
 * Permits are remembered per worker, so those of a worker that died are given back.
 */
export class LimitsOwner {
  /** Buckets of rateLimits the primary's own generation does not hold (yet). */
  private readonly extraBuckets = new Map<string, LocalBuckets>();
  private readonly counts = new Map<string, number>();
  private readonly held = new Map<number, Map<string, number>>();

  take(bucket: string, p: { rate: number; burst: number; maxDelay: number }, key: string): Take {
    let buckets = localBuckets.peek(bucket) ?? this.extraBuckets.get(bucket);
    if (!buckets) {
      buckets = new LocalBuckets(p.rate, p.burst, p.maxDelay);
      this.extraBuckets.set(bucket, buckets);
    }
    return buckets.take(key);
  }

  acquire(worker: number, counter: string, amount: number, key: string): boolean {
    const id = `${counter}\u0000${key}`;
    const n = this.counts.get(id) ?? 0;
    if (n >= amount) return false;
    this.counts.set(id, n + 1);
    const mine = this.held.get(worker) ?? new Map<string, number>();
    this.held.set(worker, mine);
    mine.set(id, (mine.get(id) ?? 0) + 1);
    return true;
  }

  release(worker: number, counter: string, key: string): void {
    const id = `${counter}\u0000${key}`;
    const mine = this.held.get(worker);
    const h = mine?.get(id) ?? 0;
    if (h === 0) return;
    if (h === 1) mine!.delete(id);
    else mine!.set(id, h - 1);
    this.drop(id, 1);
  }

  /** A worker exited: its permits are free again. */
  forget(worker: number): void {
    for (const [id, n] of this.held.get(worker) ?? []) this.drop(id, n);
    this.held.delete(worker);
  }

  private drop(id: string, n: number): void {
    const left = (this.counts.get(id) ?? 0) - n;
    if (left <= 0) this.counts.delete(id);
    else this.counts.set(id, left);
  }
}
