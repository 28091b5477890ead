/**
 * Per-router traffic for the dashboard's live router view: requests by status class and a latency
 * histogram, cumulative since start. The dashboard takes two samples and derives the rates and the
 * percentiles of the interval between them (`/api/traffic/<router>`).
 */

/** Upper bounds of the latency buckets, in seconds: 0.25 ms to 64 s, each √2 times the previous. */
export const LATENCY_BOUNDS: readonly number[] = Array.from({ length: 37 }, (_, k) =>
  Number((0.00025 * 2 ** (k / 2)).toPrecision(3)),
);

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';
const CLASSES: readonly StatusClass[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** What `/api/traffic/<router>` answers. */
export interface RouterTraffic {
  /** Milliseconds since the epoch when the sample was taken. */
  time: number;
  requests: number;
  statuses: Record<StatusClass, number>;
  /** `counts[i]` requests took at most `bounds[i]` seconds (and more than `bounds[i-1]`); the last count is above every bound. */
  latency: { bounds: readonly number[]; counts: number[] };
}

interface Counters {
  requests: number;
  statuses: number[];
  counts: number[];
}

/** Counters per router; a few array writes per request. */
export class TrafficRecorder {
  private readonly routers = new Map<string, Counters>();

  record(router: string, status: number, seconds: number): void {
    let c = this.routers.get(router);
    if (c === undefined) {
      c = { requests: 0, statuses: [0, 0, 0, 0, 0], counts: new Array(LATENCY_BOUNDS.length + 1).fill(0) };
      this.routers.set(router, c);
    }
    c.requests++;
    const cls = Math.floor(status / 100) - 1;
    if (cls >= 0 && cls < 5) c.statuses[cls]!++;
    c.counts[bucketOf(seconds)]!++;
  }

  /** The router's counters now; zeros for a router that has served nothing yet. */
  snapshot(router: string): RouterTraffic {
    const c = this.routers.get(router);
    return {
      time: Date.now(),
      requests: c?.requests ?? 0,
      statuses: Object.fromEntries(CLASSES.map((k, i) => [k, c?.statuses[i] ?? 0])) as Record<
        StatusClass,
        number
      >,
      latency: {
        bounds: LATENCY_BOUNDS,
        counts: c ? [...c.counts] : new Array(LATENCY_BOUNDS.length + 1).fill(0),
      },
    };
  }
}

/** Index of the first bound at least `seconds` (binary search); the overflow bucket past the last. */
function bucketOf(seconds: number): number {
  let lo = 0;
  let hi = LATENCY_BOUNDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (LATENCY_BOUNDS[mid]! >= seconds) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The `q` quantile (0.5, 0.99) of a histogram's counts, in seconds: the upper bound of the bucket where
 * it falls, interpolated linearly inside the bucket. Undefined when there is no request.
 */
export function quantile(
  bounds: readonly number[],
  counts: readonly number[],
  q: number,
): number | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (n > 0 && seen + n >= rank) {
      const low = i === 0 ? 0 : bounds[i - 1]!;
      const high = bounds[i] ?? bounds[bounds.length - 1]!;
      return low + (high - low) * Math.min(1, Math.max(0, (rank - seen) / n));
    }
    seen += n;
  }
  return bounds[bounds.length - 1];
}
