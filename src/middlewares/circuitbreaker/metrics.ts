/** Rolling counters over the last BUCKETS seconds (one bucket per second). */
const BUCKETS = 10;
const SAMPLES_PER_BUCKET = 1000;

interface Bucket {
  second: number;
  total: number;
  networkErrors: number;
  codes: Map<number, number>;
  latencies: number[];
}

export class RollingMetrics {
  private readonly buckets: Bucket[] = Array.from({ length: BUCKETS }, () => ({
    second: -1,
    total: 0,
    networkErrors: 0,
    codes: new Map(),
    latencies: [],
  }));

  constructor(private readonly now: () => number = Date.now) {}

  record(status: number, networkError: boolean, latencyMs: number): void {
    const second = Math.floor(this.now() / 1000);
    const b = this.buckets[second % BUCKETS]!;
    if (b.second !== second) {
      b.second = second;
      b.total = 0;
      b.networkErrors = 0;
      b.codes.clear();
      b.latencies.length = 0;
    }
    b.total++;
    if (networkError) b.networkErrors++;
    b.codes.set(status, (b.codes.get(status) ?? 0) + 1);
    if (b.latencies.length < SAMPLES_PER_BUCKET) b.latencies.push(latencyMs);
  }

  reset(): void {
    for (const b of this.buckets) b.second = -1;
  }

  private live(): Bucket[] {
    const oldest = Math.floor(this.now() / 1000) - BUCKETS + 1;
    return this.buckets.filter((b) => b.second >= oldest);
  }

  requests(): number {
    return this.live().reduce((n, b) => n + b.total, 0);
  }

  networkErrorRatio(): number {
    const live = this.live();
    const total = live.reduce((n, b) => n + b.total, 0);
    return total === 0 ? 0 : live.reduce((n, b) => n + b.networkErrors, 0) / total;
  }

  /** Responses with a code in [from, to) over those in [dFrom, dTo); 0 without any of the latter. */
  responseCodeRatio(from: number, to: number, dFrom: number, dTo: number): number {
    let num = 0;
    let den = 0;
    for (const b of this.live()) {
      for (const [code, n] of b.codes) {
        if (code >= from && code < to) num += n;
        if (code >= dFrom && code < dTo) den += n;
      }
    }
    return den === 0 ? 0 : num / den;
  }

  latencyAtQuantileMs(quantile: number): number {
    const all = this.live()
      .flatMap((b) => b.latencies)
      .sort((a, b) => a - b);
    if (all.length === 0) return 0;
    const index = Math.min(all.length - 1, Math.max(0, Math.ceil((quantile / 100) * all.length) - 1));
    return all[index]!;
  }
}
