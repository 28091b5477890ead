import type { ConnectionOptions } from 'node:tls';
import type { LoadBalancer } from '../../config/dynamic/index.js';
import { SwitchyardError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { probeGrpc } from './probe-grpc.js';
import { type ProbeRequest, probeHttp } from './probe-http.js';
import { healthFollowsPrimary, type ServerHealth } from './server-health.js';

type HealthCheckConfig = NonNullable<LoadBalancer['healthCheck']>;

/** Resolved timing of an active check. */
export interface ActiveTiming {
  readonly intervalMs: number;
  readonly unhealthyIntervalMs: number;
  readonly timeoutMs: number;
  readonly mode: 'http' | 'grpc';
}

/** Defaults as Traefik: interval 30s, unhealthyInterval = interval, timeout 5s. */
export function activeTiming(cfg: HealthCheckConfig): ActiveTiming {
  const intervalMs = cfg.interval !== undefined && cfg.interval > 0 ? cfg.interval : 30_000;
  const unhealthy = cfg.unhealthyInterval;
  return {
    intervalMs,
    unhealthyIntervalMs: unhealthy !== undefined && unhealthy > 0 ? unhealthy : intervalMs,
    timeoutMs: cfg.timeout !== undefined && cfg.timeout > 0 ? cfg.timeout : 5_000,
    mode: cfg.mode ?? 'http',
  };
}

/** The check request for one server (scheme, port, path, hostname replaced as configured). */
export function probeRequest(
  serverUrl: string,
  cfg: HealthCheckConfig,
  tls: ConnectionOptions | undefined,
): ProbeRequest {
  const url = new URL(serverUrl);
  if (url.protocol === 'h2c:') url.protocol = 'http:';
  if (cfg.scheme) {
    const scheme = cfg.scheme.toLowerCase() === 'h2c' ? 'http' : cfg.scheme.toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') {
      throw new SwitchyardError('CONFIG_INVALID', `healthCheck.scheme "${cfg.scheme}" must be http or https`);
    }
    url.protocol = `${scheme}:`;
  }
  if (cfg.port !== undefined && cfg.port > 0) url.port = String(cfg.port);
  const path = cfg.path ?? '/';
  const q = path.indexOf('?');
  url.pathname = q < 0 ? path : path.slice(0, q);
  url.search = q < 0 ? '' : path.slice(q);
  return {
    url,
    method: (cfg.method ?? 'GET').toUpperCase(),
    host: cfg.hostname || url.host,
    headers: cfg.headers ?? {},
    status: cfg.status !== undefined && cfg.status > 0 ? cfg.status : undefined,
    followRedirects: cfg.followRedirects ?? true,
    tls,
  };
}

/**
 * Runs the check loop of one server until `signal` aborts (the generation was replaced). Writes only
 * to `state`, which outlives the generation: a new loop on an existing state keeps its status and waits
 * one interval; a brand-new server is checked at once.
 */
export function runActiveCheck(
  state: ServerHealth,
  probe: ProbeRequest,
  timing: ActiveTiming,
  signal: AbortSignal,
  logger: Logger,
): void {
  const check = timing.mode === 'grpc' ? probeGrpc : probeHttp;
  runCheckLoop(state, (s) => check(probe, s), probe.url.href, timing, signal, logger);
}

/** The loop of `runActiveCheck` around any probe (HTTP, gRPC, TCP): `probe` resolves true when healthy. */
export function runCheckLoop(
  state: ServerHealth,
  probe: (signal: AbortSignal) => Promise<boolean>,
  label: string,
  timing: Omit<ActiveTiming, 'mode'>,
  signal: AbortSignal,
  logger: Logger,
): void {
  // In a worker, the primary probes each server once for the whole instance.
  if (signal.aborted || healthFollowsPrimary()) return;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (ms: number) => {
    timer = setTimeout(run, ms);
    timer.unref();
  };
  const run = async () => {
    timer = undefined;
    let ok: boolean;
    try {
      ok = await probe(AbortSignal.any([signal, AbortSignal.timeout(timing.timeoutMs)]));
    } catch {
      ok = false;
    }
    if (signal.aborted) return;
    if (ok !== state.activeUp) {
      logger.log(ok ? 'INFO' : 'WARN', ok ? 'server is healthy again' : 'health check failed', {
        server: state.url,
        check: label,
      });
    }
    state.setActive(ok);
    schedule(ok ? timing.intervalMs : timing.unhealthyIntervalMs);
  };
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  if (!state.checked) {
    state.checked = true;
    schedule(0);
  } else schedule(state.activeUp ? timing.intervalMs : timing.unhealthyIntervalMs);
}
