import diagnostics from 'node:diagnostics_channel';
import type { TLSSocket } from 'node:tls';
import type { RuntimeConfig } from '../../config/runtime/runtime-config.js';
import type { StaticConfig } from '../../config/static/index.js';
import type { HttpContext, HttpHandler } from '../../core/http-context.js';
import {
  CONNECTION_CLOSE_CHANNEL,
  CONNECTION_OPEN_CHANNEL,
  type ConnectionEvent,
  HTTP_REQUEST_END_CHANNEL,
} from '../../entrypoints/http-entrypoint.js';
import { answeredByRedirection } from '../../internal/redirections.js';
import { SERVER_HEALTH_CHANNEL, type ServerHealthEvent } from '../../services/healthcheck/server-health.js';
import {
  durationSeconds,
  finalStatus,
  protocolOf,
  requestBytes,
  responseBytes,
  useResponseCounting,
} from '../request-facts.js';
import { ExpositionWriter } from './exposition.js';
import { RequestSeries } from './request-series.js';

/** A served certificate, as `traefik_tls_certs_not_after` labels it (see `CertificateInfo` in src/tls). */
export interface CertificateFacts {
  commonName: string | undefined;
  serial: string;
  names: string[];
  notAfter: Date;
}

export interface Metrics {
  /** `prometheus@internal`: serves the exposition text at any path it is mounted on. */
  handler: HttpHandler;
  /** The `prometheus@internal` route to add, unless `manualRouting`: entrypoint and rule. */
  route: { entryPoint: string; rule: string } | undefined;
  /** Call after each configuration apply; `certificates` from the certificate store when known. */
  onConfigApplied(success: boolean, certificates?: readonly CertificateFacts[]): void;
  /** The exposition text (what the handler serves). */
  render(): string;
  /** Unsubscribes from every channel. */
  close(): void;
}

type Prometheus = NonNullable<NonNullable<StaticConfig['metrics']>['prometheus']>;

/**
 * Prometheus metrics with Traefik v3's names and labels, fed by the entrypoints' diagnostics channels.
 * Returns undefined when `metrics.prometheus` is not configured.
 *
 * @example
 *   const metrics = createMetrics(config.metrics, { runtime: () => instance.runtime });
 *   // mount metrics.handler as prometheus@internal on metrics.route; call metrics.onConfigApplied(true)
 */
export function createMetrics(
  config: StaticConfig['metrics'],
  deps: { runtime?: () => RuntimeConfig | undefined } = {},
): Metrics | undefined {
  const prom = config?.prometheus;
  if (!config || !prom) return undefined;
  return new PrometheusMetrics(prom, config.addInternals, deps.runtime);
}

const TLS_NAMES: Record<string, string> = {
  'TLSv1.3': '1.3',
  'TLSv1.2': '1.2',
  'TLSv1.1': '1.1',
  TLSv1: '1.0',
};

class PrometheusMetrics implements Metrics {
  readonly handler: HttpHandler;
  readonly route: Metrics['route'];
  private readonly entryPoints: RequestSeries | undefined;
  private readonly routers: RequestSeries | undefined;
  private readonly services: RequestSeries | undefined;
  private readonly headerNames: string[];
  private readonly retries = new Map<string, number>();
  private readonly open = new Map<string, number>();
  private readonly health = new Map<string, Map<string, boolean>>();
  private reloads = 0;
  private reloadFailures = 0;
  private lastSuccess = 0;
  private lastFailure = 0;
  private certificates: readonly CertificateFacts[] = [];
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    prom: Prometheus,
    private readonly addInternals: boolean,
    private readonly runtime: (() => RuntimeConfig | undefined) | undefined,
  ) {
    const bounds = [...prom.buckets].sort((a, b) => a - b);
    const headerLabels = Object.keys(prom.headerLabels ?? {});
    this.headerNames = Object.values(prom.headerLabels ?? {}).map((h) => h.toLowerCase());
    if (prom.addEntryPointsLabels)
      this.entryPoints = new RequestSeries('traefik_entrypoint', ['entrypoint'], bounds, headerLabels);
    if (prom.addRoutersLabels)
      this.routers = new RequestSeries('traefik_router', ['router', 'service'], bounds, headerLabels);
    if (prom.addServicesLabels)
      this.services = new RequestSeries('traefik_service', ['service'], bounds, headerLabels);
    this.route = prom.manualRouting
      ? undefined
      : { entryPoint: prom.entryPoint, rule: 'PathPrefix(`/metrics`)' };
    this.handler = (ctx) => this.serve(ctx);
    this.unsubscribe.push(useResponseCounting());
    this.listen(HTTP_REQUEST_END_CHANNEL, (m) => this.onRequestEnd(m as HttpContext));
    this.listen(CONNECTION_OPEN_CHANNEL, (m) => this.onConnection(m as ConnectionEvent, 1));
    this.listen(CONNECTION_CLOSE_CHANNEL, (m) => this.onConnection(m as ConnectionEvent, -1));
    this.listen(SERVER_HEALTH_CHANNEL, (m) => this.onHealth(m as ServerHealthEvent));
  }

  private listen(name: string, fn: (message: unknown) => void): void {
    diagnostics.subscribe(name, fn);
    this.unsubscribe.push(() => diagnostics.unsubscribe(name, fn));
  }

  private onRequestEnd(ctx: HttpContext): void {
    const router = ctx.routerName;
    // Without addInternals, internal routers are not counted, but an entrypoint redirection still counts
    // for its entrypoint (every request an entrypoint answered is in its series).
    const skipped = !this.addInternals && router !== undefined && router.endsWith('@internal');
    if (skipped && !answeredByRedirection(ctx)) return;
    const code = finalStatus(ctx);
    const method = ctx.req.method ?? 'GET';
    const protocol = protocolOf(ctx);
    const seconds = durationSeconds(ctx);
    const reqBytes = requestBytes(ctx);
    const respBytes = responseBytes(ctx);
    const headers = this.headerNames.length > 0 ? this.headerValues(ctx) : undefined;
    const tls = ctx.scheme === 'https' ? (ctx.req.socket as TLSSocket) : undefined;
    const version = tls ? (TLS_NAMES[tls.getProtocol?.() ?? ''] ?? 'unknown') : '';
    const cipher = tls ? (tls.getCipher?.()?.standardName ?? '') : '';
    const ep = this.entryPoints;
    if (ep) {
      ep.record(code, method, protocol, ctx.entryPoint, undefined, seconds, reqBytes, respBytes, headers);
      if (tls) ep.recordTls(version, cipher, ctx.entryPoint, undefined);
    }
    if (skipped) return;
    const service = ctx.serviceName;
    if (this.routers && router !== undefined) {
      this.routers.record(
        code,
        method,
        protocol,
        router,
        service ?? '',
        seconds,
        reqBytes,
        respBytes,
        headers,
      );
      if (tls) this.routers.recordTls(version, cipher, router, service ?? '');
    }
    if (this.services && service !== undefined) {
      this.services.record(code, method, protocol, service, undefined, seconds, reqBytes, respBytes, headers);
      if (tls) this.services.recordTls(version, cipher, service, undefined);
      if (ctx.retryAttempts > 0)
        this.retries.set(service, (this.retries.get(service) ?? 0) + ctx.retryAttempts);
    }
  }

  private headerValues(ctx: HttpContext): string[] {
    const h = ctx.req.headers;
    return this.headerNames.map((name) => {
      const v = h[name];
      return Array.isArray(v) ? v.join(',') : (v ?? '');
    });
  }

  private onConnection(ev: ConnectionEvent, delta: number): void {
    this.open.set(ev.entryPoint, (this.open.get(ev.entryPoint) ?? 0) + delta);
  }

  private onHealth(ev: ServerHealthEvent): void {
    let servers = this.health.get(ev.service);
    if (!servers) {
      servers = new Map();
      this.health.set(ev.service, servers);
    }
    servers.set(ev.server, ev.up);
  }

  onConfigApplied(success: boolean, certificates?: readonly CertificateFacts[]): void {
    this.reloads++;
    const now = Date.now() / 1000;
    if (success) this.lastSuccess = now;
    else {
      this.reloadFailures++;
      this.lastFailure = now;
    }
    if (certificates) this.certificates = certificates;
  }

  render(): string {
    const w = new ExpositionWriter();
    w.family('traefik_config_reloads_total', 'counter', 'Config reloads.');
    w.sample('traefik_config_reloads_total', [], [], this.reloads);
    w.family('traefik_config_reloads_failure_total', 'counter', 'Config reloads that failed.');
    w.sample('traefik_config_reloads_failure_total', [], [], this.reloadFailures);
    w.family('traefik_config_last_reload_success', 'gauge', 'Last config reload success (unix seconds).');
    w.sample('traefik_config_last_reload_success', [], [], this.lastSuccess);
    w.family('traefik_config_last_reload_failure', 'gauge', 'Last config reload failure (unix seconds).');
    w.sample('traefik_config_last_reload_failure', [], [], this.lastFailure);
    w.family(
      'traefik_open_connections',
      'gauge',
      'How many open connections exist, by entryPoint and protocol.',
    );
    for (const [ep, n] of this.open)
      w.sample('traefik_open_connections', ['entrypoint', 'protocol'], [ep, 'TCP'], n);
    w.family('traefik_tls_certs_not_after', 'gauge', 'Certificate expiration timestamp (unix seconds).');
    for (const c of this.certificates) {
      w.sample(
        'traefik_tls_certs_not_after',
        ['cn', 'serial', 'sans'],
        [c.commonName ?? '', decimalSerial(c.serial), [...c.names].sort().join(',')],
        Math.floor(c.notAfter.getTime() / 1000),
      );
    }
    this.entryPoints?.write(w);
    this.routers?.write(w);
    if (this.services) {
      this.services.write(w);
      w.family('traefik_service_retries_total', 'counter', 'How many request retries happened, per service.');
      for (const [s, n] of this.retries) w.sample('traefik_service_retries_total', ['service'], [s], n);
      w.family('traefik_service_server_up', 'gauge', 'Service server is up (1) or down (0).');
      for (const [service, url, up] of this.serverStates())
        w.sample('traefik_service_server_up', ['service', 'url'], [service, url], up ? 1 : 0);
    }
    return w.text();
  }

  /** Health events win over the status computed when the configuration was built. */
  private *serverStates(): Generator<[string, string, boolean]> {
    const seen = new Set<string>();
    const runtime = this.runtime?.();
    for (const [name, svc] of Object.entries(runtime?.services ?? {})) {
      for (const [url, status] of Object.entries(svc.serverStatus ?? {})) {
        seen.add(`${name} ${url}`);
        yield [name, url, this.health.get(name)?.get(url) ?? status === 'UP'];
      }
    }
    for (const [service, servers] of this.health) {
      for (const [url, up] of servers)
        if (!seen.has(`${service} ${url}`) && !runtime) yield [service, url, up];
    }
  }

  private serve(ctx: HttpContext): void {
    ctx.routerName ??= 'prometheus@internal';
    const body = Buffer.from(this.render());
    ctx.res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-length': body.length,
    });
    ctx.res.end(ctx.req.method === 'HEAD' ? undefined : body);
  }

  close(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }
}

/** Traefik labels the serial in decimal (Go's `big.Int.String()`); certificates carry it in hex. */
function decimalSerial(hex: string): string {
  try {
    return BigInt(`0x${hex}`).toString();
  } catch {
    return hex;
  }
}
