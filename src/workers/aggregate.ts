import { type HttpHandler, sendText } from '../core/http-context.js';
import type { StatCounters, StatsSnapshot } from '../observability/stats.js';

/** Asks every worker for its part (`metrics`: exposition text, `stats`: a `StatsSnapshot`). */
export type Gather = (what: 'metrics' | 'stats') => Promise<unknown[]>;

// Facts every worker knows alike (a timestamp, a server's status): the highest value, not the sum.
const NOT_ADDITIVE = /timestamp|not_after|last_reload|server_up|config_reloads/;

/**
 * Sums Prometheus exposition texts sample by sample (same name and labels), the way the instance
 * would count in one process; comments come from the first text that has them.
 */
export function sumExposition(texts: readonly string[]): string {
  const order: string[] = [];
  const values = new Map<string, number>();
  const seen = new Set<string>();
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (line === '') continue;
      if (line.startsWith('#')) {
        if (!seen.has(line)) {
          seen.add(line);
          order.push(line);
        }
        continue;
      }
      const cut = line.lastIndexOf(' ');
      const series = line.slice(0, cut);
      const value = Number(line.slice(cut + 1));
      const known = values.get(series);
      if (known === undefined) {
        order.push(series);
        values.set(series, value);
      } else values.set(series, NOT_ADDITIVE.test(series) ? Math.max(known, value) : known + value);
    }
  }
  return `${order.map((l) => (values.has(l) ? `${l} ${values.get(l)}` : l)).join('\n')}\n`;
}

/** Adds the counters of several `/api/stats` snapshots. */
export function sumStats(parts: readonly StatsSnapshot[]): StatsSnapshot {
  const out: StatsSnapshot = { time: Date.now(), entryPoints: {}, routers: {}, services: {} };
  for (const part of parts) {
    for (const kind of ['entryPoints', 'routers', 'services'] as const) {
      for (const [name, c] of Object.entries(part[kind])) {
        const into: StatCounters = out[kind][name] ?? { requests: 0, errors: 0, durationSum: 0 };
        out[kind][name] = into;
        into.requests += c.requests;
        into.errors += c.errors;
        into.durationSum += c.durationSum;
      }
    }
  }
  return out;
}

/** `prometheus@internal` in a worker: the sum over every worker. */
export function summedMetricsHandler(gather: Gather): HttpHandler {
  return (ctx) => {
    gather('metrics').then(
      (texts) =>
        sendText(ctx, 200, sumExposition(texts as string[]), {
          'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        }),
      () => sendText(ctx, 503, 'Service Unavailable'),
    );
  };
}

/** `api@internal` in a worker: `/api/stats` sums every worker's counters; the rest is local. */
export function summedStatsApi(api: HttpHandler, gather: Gather): HttpHandler {
  return (ctx) => {
    if (!ctx.path.endsWith('/api/stats') || ctx.req.method !== 'GET') {
      api(ctx);
      return;
    }
    gather('stats').then(
      (parts) =>
        sendText(ctx, 200, JSON.stringify(sumStats(parts as StatsSnapshot[])), {
          'content-type': 'application/json',
        }),
      () => sendText(ctx, 503, 'Service Unavailable'),
    );
  };
}
