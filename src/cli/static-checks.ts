import { isDeepStrictEqual } from 'node:util';
import { normalize } from '../config/schema/normalize.js';
import { EntryPointSchema, type StaticConfig, staticSchema } from '../config/static/index.js';
import { STATIC_SECTIONS } from '../config/static/schema.js';
import { errorMessage } from '../core/errors.js';
import { redirectionRoutes } from '../internal/redirections.js';
import { compileForwardedTrust } from '../proxy/forwarded-headers.js';
import { connectionStages } from './entrypoint-options.js';
import { isUdpAddress } from './graph-input.js';

/**
 * Checks of the static configuration that need more than its schema (addresses in trustedIPs,
 * redirection targets). Returns one message per problem; empty when all is well.
 */
export function staticSemanticErrors(config: StaticConfig): string[] {
  const errors: string[] = [];
  for (const [name, ep] of Object.entries(config.entryPoints)) {
    try {
      compileForwardedTrust({ trustedIPs: ep.forwardedHeaders.trustedIPs });
      connectionStages(ep);
    } catch (err) {
      errors.push(`entryPoints.${name}.${errorMessage(err)}`);
    }
    // As Traefik: an idle timeout of 0 would end every UDP session at once.
    if (isUdpAddress(ep.address) && ep.udp.timeout <= 0)
      errors.push(`entryPoints.${name}.udp.timeout: must be greater than 0 on a UDP entrypoint`);
  }
  try {
    redirectionRoutes(config);
  } catch (err) {
    errors.push(errorMessage(err));
  }
  return errors;
}

/**
 * Options Traefik knows that Switchyard reads but does not act on yet: each is reported when set to
 * anything but its default. Everything not listed here works (remove an entry when its feature lands).
 */
export const NO_EFFECT: readonly string[] = [
  'global.notAppendXForwardedFor',
  'log.maxSize',
  'log.maxAge',
  'log.maxBackups',
  'log.compress',
  'log.otlp',
  'accessLog.otlp',
  'api.debug',
  'metrics.datadog',
  'metrics.statsD',
  'metrics.influxDB2',
  'metrics.otlp',
  'hostResolver',
  'spiffe',
  'ocsp',
  'experimental.fastProxy',
  'experimental.otlpLogs',
  'experimental.abortOnPluginFailure',
  'experimental.knative',
  'experimental.kubernetesIngressNGINX',
  'serversTransport.spiffe',
];

/** The same, under each `entryPoints.<name>`. */
export const ENTRYPOINT_NO_EFFECT: readonly string[] = [
  'http3',
  'reusePort',
  'allowACMEByPass',
  'transport.keepAliveMaxRequests',
  'transport.keepAliveMaxTime',
  'forwardedHeaders.connection',
  'forwardedHeaders.addXForwardedSchemeHeaders',
  'http.encodedCharacters',
  'http.encodeQuerySemicolons',
  'http.underscoreHeadersStrategy',
  'http.tls.domains',
  'observability',
];

/** The providers Switchyard runs; `providers.<other>` has no effect. */
export const PROVIDERS = ['file', 'docker', 'etcd', 'redis', 'zooKeeper', 'http', 'rest', 'plugin'];
const PROVIDER_OPTIONS = ['providersThrottleDuration', 'precedence'];

let defaults: { root: unknown; entryPoint: unknown } | undefined;

/** Static options that are set (not at their default) and have no effect yet, as dotted paths. */
export function unsupportedStaticKeys(config: StaticConfig): string[] {
  defaults ??= {
    // Every section switched on with its defaults, so that `api: {}` is not `api.debug` set.
    root: normalize(staticSchema, Object.fromEntries(STATIC_SECTIONS.map((k) => [k, {}]))).value,
    entryPoint: normalize(EntryPointSchema, { address: ':1' }).value,
  };
  const set = (value: unknown, base: unknown, path: string) => {
    const v = valueAt(value, path);
    return v !== undefined && !isDeepStrictEqual(v, valueAt(base, path));
  };
  const out = NO_EFFECT.filter((path) => set(config, defaults!.root, path));
  for (const [key, value] of Object.entries(config.providers)) {
    if (value !== undefined && !PROVIDERS.includes(key) && !PROVIDER_OPTIONS.includes(key)) {
      out.push(`providers.${key}`);
    }
  }
  for (const [name, ep] of Object.entries(config.entryPoints)) {
    for (const path of ENTRYPOINT_NO_EFFECT) {
      if (set(ep, defaults.entryPoint, path)) out.push(`entryPoints.${name}.${path}`);
    }
  }
  return out;
}

function valueAt(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
