import { convertV1Dynamic, type V1ElementError } from './dynamic.js';
import { convertEntryPoints, entryPointTransport } from './static-entrypoints.js';
import { convertProviders, KV_STORES, UNSUPPORTED_PROVIDERS } from './static-providers.js';
import {
  bool,
  defined,
  duration,
  get,
  int,
  isObject,
  list,
  str,
  subTable,
  table,
  unknownKeys,
  type V1Object,
} from './v1-tree.js';

/** Result of `convertV1Static`: the v3 static raw tree, the dynamic configuration it implies, warnings. */
export interface V1StaticConversion {
  static: V1Object;
  /** Dynamic parts: entrypoint TLS certificates/options/middlewares and, when `[file]` names no file, the inline `[backends]`/`[frontends]`. */
  dynamic?: V1Object;
  warnings: string[];
  /** Inline frontends Traefik 1.7 refuses (see `V1Conversion.errors`). */
  errors: V1ElementError[];
}

/** Top-level v1 keys the converter understands (anything else is reported as unknown). */
const TOP_KEYS = [
  'logLevel',
  'debug',
  'defaultEntryPoints',
  'entryPoints',
  'web',
  'api',
  'ping',
  'metrics',
  'accessLog',
  'accessLogsFile',
  'traefikLog',
  'traefikLogsFile',
  'retry',
  'healthcheck',
  'respondingTimeouts',
  'forwardingTimeouts',
  'lifeCycle',
  'graceTimeOut',
  'insecureSkipVerify',
  'rootCAs',
  'maxIdleConnsPerHost',
  'providersThrottleDuration',
  'checkNewVersion',
  'sendAnonymousUsage',
  'keepTrailingSlash',
  'idleTimeout',
  'acme',
  'file',
  'docker',
  ...Object.keys(KV_STORES),
  ...UNSUPPORTED_PROVIDERS,
  'backends',
  'frontends',
  'tls',
  'tracing',
  'hostResolver',
  'allowMinWeightZero',
];

/** The entrypoint v1's `[web]`/`[api]`/`[ping]`/`[metrics]` listen on by default. */
const TRAEFIK_EP = 'traefik';

/**
 * Converts a Traefik v1 static configuration (as parsed from TOML) into a v3 static raw tree, which the
 * loader then validates like any v3 file. Unknown or misspelt v1 keys are warnings, never errors.
 *
 * @example convertV1Static(parseToml('defaultEntryPoints = ["http"]\n[entryPoints.http]\naddress = ":80"'))
 */
export function convertV1Static(v1: unknown): V1StaticConversion {
  const warnings: string[] = [];
  const src: V1Object = isObject(v1) ? { ...v1 } : {};
  warnings.push(...unknownKeys(src, TOP_KEYS, ''));
  const out: V1Object = {};
  const dynamicMiddlewares: V1Object = {};

  const level = bool(src, 'debug') ? 'DEBUG' : str(src, 'logLevel')?.toUpperCase();
  const traefikLog = table(src, 'traefikLog');
  const log = defined({
    level: level === 'WARNING' ? 'WARN' : level,
    filePath: str(traefikLog, 'filePath') ?? str(src, 'traefikLogsFile'),
    format: str(traefikLog, 'format'),
  });
  if (Object.keys(log).length > 0) out.log = log;

  if (!table(src, 'entryPoints')) src.entryPoints = { http: { address: ':80' } };
  const eps = convertEntryPoints(src, warnings);
  Object.assign(dynamicMiddlewares, eps.middlewares);
  const entryPoints = eps.entryPoints;
  const defaults =
    list(src, 'defaultEntryPoints') ?? (entryPoints.http ? ['http'] : Object.keys(entryPoints));
  for (const name of defaults) {
    const ep = entryPoints[name];
    if (isObject(ep)) ep.asDefault = true;
    else warnings.push(`defaultEntryPoints: entrypoint "${name}" is not defined`);
  }
  const transport = entryPointTransport(src);
  if (transport) for (const ep of Object.values(entryPoints)) (ep as V1Object).transport = transport;
  out.entryPoints = entryPoints;

  const needTraefikEp = (address = ':8080') => {
    if (!entryPoints[TRAEFIK_EP]) entryPoints[TRAEFIK_EP] = { address };
  };
  const web = table(src, 'web');
  const api = get(src, 'api');
  if (web) {
    warnings.push(
      ...unknownKeys(
        web,
        ['address', 'readOnly', 'statistics', 'path', 'auth', 'metrics', 'certFile', 'keyFile'],
        'web',
      ),
    );
    warnings.push(...unknownKeys(table(web, 'statistics'), ['recentErrors'], 'web.statistics'));
    if (table(web, 'statistics'))
      warnings.push('web.statistics: the dashboard has no recent-errors panel; ignored');
    if (str(web, 'path')) warnings.push('web.path: the API is served at the root of its entrypoint; ignored');
    if (table(web, 'auth'))
      warnings.push('web.auth: protect the API with a router and an auth middleware; ignored');
    if (str(web, 'certFile'))
      warnings.push('web.certFile/keyFile: the API entrypoint is served over plain HTTP');
    entryPoints[TRAEFIK_EP] = { address: str(web, 'address') ?? ':8080' };
    out.api = { insecure: true, dashboard: true };
  } else if (api !== undefined) {
    const apiEp = str(api, 'entryPoint') ?? TRAEFIK_EP;
    if (apiEp !== TRAEFIK_EP)
      warnings.push(`api.entryPoint "${apiEp}": the API is served on the "traefik" entrypoint`);
    needTraefikEp();
    out.api = defined({
      insecure: true,
      dashboard: bool(api, 'dashboard') ?? true,
      debug: bool(api, 'debug'),
    });
    if (table(api, 'statistics'))
      warnings.push('api.statistics: the dashboard has no recent-errors panel; ignored');
  }
  const ping = get(src, 'ping');
  if (ping !== undefined) {
    const pingEp = str(ping, 'entryPoint') ?? TRAEFIK_EP;
    if (pingEp === TRAEFIK_EP) needTraefikEp();
    out.ping = { entryPoint: pingEp };
  }
  const metrics = convertMetrics(table(src, 'metrics'), warnings);
  if (metrics) {
    out.metrics = metrics;
    if (isObject(metrics.prometheus) && (metrics.prometheus.entryPoint ?? TRAEFIK_EP) === TRAEFIK_EP)
      needTraefikEp();
  }
  const accessLog = get(src, 'accessLog');
  if (accessLog !== undefined || str(src, 'accessLogsFile')) {
    const filters = table(accessLog, 'filters');
    out.accessLog = defined({
      filePath: str(accessLog, 'filePath') ?? str(src, 'accessLogsFile'),
      format: str(accessLog, 'format'),
      bufferingSize: int(accessLog, 'bufferingSize'),
      filters: filters
        ? defined({
            statusCodes: list(filters, 'statusCodes'),
            retryAttempts: bool(filters, 'retryAttempts'),
            minDuration: duration(filters, 'minDuration'),
          })
        : undefined,
      fields: table(accessLog, 'fields'),
    });
  }

  const retry = get(src, 'retry');
  if (retry !== undefined) {
    // v1 retried on every backend; attempts defaulted to (servers - 1), which v3 cannot express.
    const attempts = int(retry, 'attempts');
    if (attempts === undefined)
      warnings.push('retry: v1 defaulted attempts to the number of servers - 1; 1 is used');
    dynamicMiddlewares['v1-retry'] = { retry: { attempts: attempts ?? 1 } };
    for (const ep of Object.values(entryPoints) as V1Object[]) {
      if (ep === entryPoints[TRAEFIK_EP]) continue;
      const http = subTable(ep, 'http');
      http.middlewares = [...((http.middlewares as string[]) ?? []), 'v1-retry@file'];
    }
  }
  const hc = table(src, 'healthcheck');
  if (duration(hc, 'interval') !== undefined)
    warnings.push('healthcheck.interval: set the interval per backend health check (v3 default 30s)');

  const serversTransport = defined({
    insecureSkipVerify: bool(src, 'insecureSkipVerify'),
    rootCAs: list(src, 'rootCAs'),
    maxIdleConnsPerHost: int(src, 'maxIdleConnsPerHost'),
    forwardingTimeouts: table(src, 'forwardingTimeouts')
      ? defined({
          dialTimeout: duration(table(src, 'forwardingTimeouts'), 'dialTimeout'),
          responseHeaderTimeout: duration(table(src, 'forwardingTimeouts'), 'responseHeaderTimeout'),
        })
      : undefined,
  });
  if (Object.keys(serversTransport).length > 0) out.serversTransport = serversTransport;
  const global = defined({
    checkNewVersion: bool(src, 'checkNewVersion'),
    sendAnonymousUsage: bool(src, 'sendAnonymousUsage'),
  });
  if (Object.keys(global).length > 0) out.global = global;
  if (get(src, 'acme') !== undefined)
    warnings.push('acme: v1 ACME is not converted; configure certificatesResolvers');
  const file = get(src, 'file');
  const inlineFrontends =
    file !== undefined && str(file, 'filename') === undefined && str(file, 'directory') === undefined;
  if (!v1StrictSlash(src) && !inlineFrontends)
    warnings.push(
      'keepTrailingSlash = true applies to the frontends of this file only; those of other files and ' +
        "providers keep Traefik 1.7's default trailing-slash redirects",
    );

  out.providers = convertProviders(src, warnings);

  const dynamic: V1Object = {};
  const errors: V1ElementError[] = [];
  if (inlineFrontends) {
    const inline = convertV1Dynamic(src, { strictSlash: v1StrictSlash(src) });
    warnings.push(...inline.warnings);
    errors.push(...inline.errors);
    Object.assign(dynamic, inline.config);
  }
  addStaticDynamic(dynamic, dynamicMiddlewares, eps.certificates, eps.tlsOptions);
  const result: V1StaticConversion = { static: out, warnings, errors };
  if (Object.keys(dynamic).length > 0) result.dynamic = dynamic;
  return result;
}

function addStaticDynamic(
  dynamic: V1Object,
  middlewares: V1Object,
  certificates: V1Object[],
  options: V1Object,
) {
  if (Object.keys(middlewares).length > 0) {
    const http = subTable(dynamic, 'http');
    http.middlewares = { ...(http.middlewares as V1Object), ...middlewares };
  }
  if (certificates.length === 0 && Object.keys(options).length === 0) return;
  const tls = subTable(dynamic, 'tls');
  if (certificates.length > 0)
    tls.certificates = [...((tls.certificates as V1Object[]) ?? []), ...certificates];
  if (Object.keys(options).length > 0) tls.options = options;
}

function convertMetrics(metrics: V1Object | undefined, warnings: string[]): V1Object | undefined {
  if (!metrics) return undefined;
  const out: V1Object = {};
  const prom = table(metrics, 'prometheus');
  if (prom)
    out.prometheus = defined({
      entryPoint: str(prom, 'entryPoint'),
      buckets: list(prom, 'buckets')?.map(Number),
    });
  for (const [v1, v3] of [
    ['datadog', 'datadog'],
    ['statsd', 'statsD'],
  ] as const) {
    const section = table(metrics, v1);
    if (section)
      out[v3] = defined({
        address: str(section, 'address'),
        pushInterval: duration(section, 'pushInterval'),
      });
  }
  if (table(metrics, 'influxdb')) warnings.push('metrics.influxdb: InfluxDB v1 is not supported; ignored');
  return Object.keys(out).length > 0 ? out : undefined;
}

/** False when a v1 static file sets `keepTrailingSlash = true` (no trailing-slash redirects in v1). */
export function v1StrictSlash(staticTree: unknown): boolean {
  return bool(staticTree, 'keepTrailingSlash') !== true;
}
