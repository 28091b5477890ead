import diagnostics from 'node:diagnostics_channel';
import type { HttpContext } from '../core/http-context.js';
import { HTTP_REQUEST_END_CHANNEL } from '../entrypoints/http-entrypoint.js';
import { answeredByRedirection } from '../internal/redirections.js';
import { durationSeconds, finalStatus } from './request-facts.js';
import { TrafficRecorder } from './router-traffic.js';

/** Cumulative counters of one entrypoint, router or service. */
export interface StatCounters {
  /** Requests finished. */
  requests: number;
  /** Of which answered 5xx (or 499: the client gave up). */
  errors: number;
  /** Sum of durations, seconds. */
  durationSum: number;
}

/** What `/api/stats` answers: counters since start; the dashboard derives rates from two samples. */
export interface StatsSnapshot {
  /** Milliseconds since the epoch when the snapshot was taken. */
  time: number;
  entryPoints: Record<string, StatCounters>;
  routers: Record<string, StatCounters>;
  services: Record<string, StatCounters>;
}

/**
 * Live request counters for the dashboard's charts, fed by the request-end channel. Small on purpose:
 * three map lookups and a few additions per request.
 */
export class RequestStats {
  private readonly entryPoints = new Map<string, StatCounters>();
  private readonly routers = new Map<string, StatCounters>();
  private readonly services = new Map<string, StatCounters>();
  /** Status classes and latency histogram per router, for the dashboard's live router view. */
  readonly traffic = new TrafficRecorder();
  private readonly listener = (m: unknown) => this.record(m as HttpContext);

  constructor() {
    diagnostics.subscribe(HTTP_REQUEST_END_CHANNEL, this.listener);
  }

  private record(ctx: HttpContext): void {
    const router = ctx.routerName;
    // Internal routers (API, ping, metrics) are not traffic; an entrypoint redirection is, for its entrypoint.
    const internal = router?.endsWith('@internal') === true;
    if (internal && !answeredByRedirection(ctx)) return;
    const status = finalStatus(ctx);
    const error = status >= 500 || status === 499 ? 1 : 0;
    const seconds = durationSeconds(ctx);
    add(this.entryPoints, ctx.entryPoint, error, seconds);
    if (internal) return;
    if (router !== undefined) {
      add(this.routers, router, error, seconds);
      this.traffic.record(router, status, seconds);
    }
    if (ctx.serviceName !== undefined) add(this.services, ctx.serviceName, error, seconds);
  }

  snapshot(): StatsSnapshot {
    return {
      time: Date.now(),
      entryPoints: Object.fromEntries(this.entryPoints),
      routers: Object.fromEntries(this.routers),
      services: Object.fromEntries(this.services),
    };
  }

  close(): void {
    diagnostics.unsubscribe(HTTP_REQUEST_END_CHANNEL, this.listener);
  }
}

function add(map: Map<string, StatCounters>, key: string, error: number, seconds: number): void {
  let c = map.get(key);
  if (c === undefined) {
    c = { requests: 0, errors: 0, durationSum: 0 };
    map.set(key, c);
  }
  c.requests++;
  c.errors += error;
  c.durationSum += seconds;
}
