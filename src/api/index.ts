import { BUILTIN_SCHEMAS, type ExtensionSchemas } from '../config/dynamic/builtin-schemas.js';
import type { RuntimeConfig } from '../config/runtime/runtime-config.js';
import type { EntryPointConfig, StaticConfig } from '../config/static/index.js';
import type { HttpContext, HttpHandler } from '../core/http-context.js';
import type { HistoryEntry } from '../observability/config-history.js';
import { RequestStats } from '../observability/stats.js';
import { queryList } from './list-query.js';
import { type ApiObject, countStatus, presentEntryPoint, presentHttp } from './present.js';
import { findWebuiDist, StaticFiles } from './static-files.js';
import { presentTcp } from './tcp.js';
import { overviewTls } from './tls-view.js';
import { presentUdp } from './udp.js';

export interface ApiDeps {
  /** What is running now (`Instance.runtime`). */
  runtime: () => RuntimeConfig | undefined;
  staticConfig: StaticConfig;
  /** Entrypoints to list; `staticConfig.entryPoints` when absent. */
  entryPoints?: Record<string, EntryPointConfig>;
  version: string;
  /** Where the built dashboard is (`webui/dist` found beside the code when absent). */
  webuiDir?: string;
  /** Live counters for `/api/stats`; one is created (and subscribed) when absent. */
  stats?: RequestStats;
  /** The last configuration generations applied, newest first (`/api/history`). */
  history?: () => HistoryEntry[];
  /** The instance's extension declarations (to redact plugin options too); the built-ins when absent. */
  extensions?: ExtensionSchemas;
}

const CODENAME = 'switchyard';

/**
 * `api@internal` and `dashboard@internal` in one handler: Traefik's REST API under `/api`, the dashboard
 * under `/dashboard/`, and `GET /` → 302 to the dashboard. Mount it on `PathPrefix(/api) ||
 * PathPrefix(/dashboard)` (plus `Path(/)` for the redirect) — with `api.basePath` in front when set.
 *
 * @example
 *   const api = createApiHandler({ runtime: () => instance.runtime, staticConfig, version });
 */
export function createApiHandler(deps: ApiDeps): HttpHandler {
  const files = new StaticFiles(deps.webuiDir ?? findWebuiDist());
  const stats = deps.stats ?? new RequestStats();
  const startDate = new Date().toISOString();
  const base = (deps.staticConfig.api?.basePath ?? '/').replace(/\/+$/, '');
  const dashboardOn = deps.staticConfig.api?.dashboard !== false;
  const routes = apiRoutes(deps, stats, startDate);
  return (ctx) => {
    ctx.routerName ??= 'api@internal';
    const method = ctx.req.method;
    if (method !== 'GET' && method !== 'HEAD') return sendJson(ctx, 405, { message: 'method not allowed' });
    let path = ctx.path;
    if (base !== '') {
      if (path !== base && !path.startsWith(`${base}/`)) return sendJson(ctx, 404, { message: 'not found' });
      path = path.slice(base.length) || '/';
    }
    if (path === '/' || path === '') {
      if (!dashboardOn) return sendJson(ctx, 404, { message: 'not found' });
      const prefix = headerOf(ctx, 'x-forwarded-prefix');
      return redirect(ctx, `${prefix}${base}/dashboard/`);
    }
    if (path === '/api' || path.startsWith('/api/')) return serveApi(ctx, routes, path.slice(4) || '/');
    if (dashboardOn && (path === '/dashboard' || path.startsWith('/dashboard/'))) {
      if (path === '/dashboard') return redirect(ctx, `${base}/dashboard/`);
      return serveFile(ctx, files, path.slice('/dashboard/'.length));
    }
    sendJson(ctx, 404, { message: 'not found' });
  };
}

type Route = (rest: string, params: URLSearchParams) => { status: number; body: unknown; next?: number };

function apiRoutes(deps: ApiDeps, stats: RequestStats, startDate: string): Map<string, Route> {
  const http = () => presentHttp(deps.runtime(), deps.extensions ?? BUILTIN_SCHEMAS);
  const tcp = () => presentTcp(deps.runtime(), deps.extensions ?? BUILTIN_SCHEMAS);
  const udp = () => presentUdp(deps.runtime());
  const entryPoints = () =>
    Object.entries(deps.entryPoints ?? deps.staticConfig.entryPoints).map(([n, ep]) =>
      presentEntryPoint(n, ep),
    );
  const list = (items: () => ApiObject[], kind: string): Route => {
    return (rest, params) => {
      const all = items();
      if (rest !== '') {
        const name = decodeURIComponent(rest);
        const found = all.find((i) => i.name === name);
        if (found) return { status: 200, body: found };
        return { status: 404, body: { message: `${kind} not found: ${name}` } };
      }
      const r = queryList(all, params);
      if ('error' in r) return { status: 400, body: { message: r.error } };
      return { status: 200, body: r.items, next: r.nextPage };
    };
  };
  const features = () => {
    const s = deps.staticConfig;
    return {
      tracing: s.tracing ? 'OpenTelemetry' : '',
      metrics: s.metrics?.prometheus ? 'Prometheus' : s.metrics?.otlp ? 'OpenTelemetry' : '',
      accessLog: s.accessLog !== undefined,
    };
  };
  return new Map<string, Route>([
    ['/http/routers', list(() => http().routers, 'router')],
    ['/http/services', list(() => http().services, 'service')],
    ['/http/middlewares', list(() => http().middlewares, 'middleware')],
    ['/tcp/routers', list(() => tcp().routers, 'router')],
    ['/tcp/services', list(() => tcp().services, 'service')],
    ['/tcp/middlewares', list(() => tcp().middlewares, 'middleware')],
    ['/udp/routers', list(() => udp().routers, 'router')],
    ['/udp/services', list(() => udp().services, 'service')],
    ['/entrypoints', list(entryPoints, 'entry point')],
    [
      '/overview',
      () => {
        const h = http();
        const t = tcp();
        const u = udp();
        return {
          status: 200,
          body: {
            http: {
              routers: countStatus(h.routers),
              services: countStatus(h.services),
              middlewares: countStatus(h.middlewares),
            },
            tcp: {
              routers: countStatus(t.routers),
              services: countStatus(t.services),
              middlewares: countStatus(t.middlewares),
            },
            udp: { routers: countStatus(u.routers), services: countStatus(u.services) },
            features: features(),
            providers: providerNames(deps.staticConfig),
            tls: overviewTls(deps.runtime()?.tls),
          },
        };
      },
    ],
    [
      '/rawdata',
      () => {
        const h = http();
        const t = tcp();
        const u = udp();
        const byName = (items: ApiObject[]) => Object.fromEntries(items.map((i) => [i.name, i]));
        const body = {
          routers: byName(h.routers),
          middlewares: byName(h.middlewares),
          services: byName(h.services),
          tcpRouters: byName(t.routers),
          tcpMiddlewares: byName(t.middlewares),
          tcpServices: byName(t.services),
          udpRouters: byName(u.routers),
          udpServices: byName(u.services),
        };
        return { status: 200, body };
      },
    ],
    [
      '/version',
      () => {
        const api = deps.staticConfig.api;
        const body: Record<string, unknown> = { Version: deps.version, Codename: CODENAME, startDate };
        body.disableDashboardAd = api?.disableDashboardAd ?? false;
        if (api?.dashboardName) body.dashboardName = api.dashboardName;
        return { status: 200, body };
      },
    ],
    ['/stats', () => ({ status: 200, body: stats.snapshot() })],
    // Beyond Traefik: one router's live traffic, and the configuration history.
    ['/traffic', (rest) => ({ status: 200, body: stats.traffic.snapshot(decodeURIComponent(rest)) })],
    ['/history', () => ({ status: 200, body: deps.history?.() ?? [] })],
  ]);
}

function serveApi(ctx: HttpContext, routes: Map<string, Route>, path: string): void {
  const params = new URLSearchParams(ctx.rawQuery);
  for (const [prefix, route] of routes) {
    if (path === prefix || path.startsWith(`${prefix}/`)) {
      const r = route(path.slice(prefix.length + 1), params);
      const headers: Record<string, string> = r.next === undefined ? {} : { 'x-next-page': String(r.next) };
      sendJson(ctx, r.status, r.body, headers);
      return;
    }
  }
  sendJson(ctx, 404, { message: 'not found' });
}

function serveFile(ctx: HttpContext, files: StaticFiles, relative: string): void {
  const file =
    files.get(relative === '' ? 'index.html' : relative) ??
    (relative.includes('.') ? undefined : files.get('index.html'));
  if (!file) {
    sendJson(ctx, 404, { message: 'not found' });
    return;
  }
  ctx.res.writeHead(200, {
    'content-type': file.type,
    'content-length': file.body.length,
    'cache-control': 'no-cache',
  });
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : file.body);
}

function sendJson(ctx: HttpContext, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const buf = Buffer.from(`${JSON.stringify(body)}\n`);
  ctx.res.writeHead(status, { ...extra, 'content-type': 'application/json', 'content-length': buf.length });
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : buf);
}

function redirect(ctx: HttpContext, location: string): void {
  ctx.res.writeHead(302, { location, 'content-length': 0 });
  ctx.res.end();
}

function headerOf(ctx: HttpContext, name: string): string {
  const v = ctx.req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

/** Traefik lists providers by their type name, capitalised (`File`, `Docker`, `Redis`…). */
function providerNames(s: StaticConfig): string[] {
  const keys = Object.entries(s.providers).filter(
    ([, v]) => typeof v === 'object' && v !== null && !Array.isArray(v),
  );
  return keys.map(([k]) => k.charAt(0).toUpperCase() + k.slice(1)).sort();
}
