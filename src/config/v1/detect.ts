import { children, get, isObject, keyOf } from './v1-tree.js';

/** Top-level keys that exist only in Traefik v1 static configuration. */
const V1_ONLY = [
  'defaultEntryPoints',
  'logLevel',
  'debug',
  'web',
  'file',
  'traefikLog',
  'traefikLogsFile',
  'accessLogsFile',
  'retry',
  'respondingTimeouts',
  'forwardingTimeouts',
  'lifeCycle',
  'graceTimeOut',
  'etcd',
  'consul',
  'zookeeper',
  'docker',
  'boltdb',
  'marathon',
  'kubernetes',
  'rancher',
  'rootCAs',
  'insecureSkipVerify',
  'maxIdleConnsPerHost',
  'acme',
];

/** Top-level keys that exist only in v2/v3 static configuration. */
const V3_ONLY = [
  'providers',
  'log',
  'global',
  'serversTransport',
  'tcpServersTransport',
  'certificatesResolvers',
  'core',
  'experimental',
];

/** Entrypoint keys of v1's shape (v3 moved TLS and middlewares under `http`). */
const V1_ENTRYPOINT_KEYS = ['tls', 'redirect', 'auth', 'whiteList', 'whitelistSourceRange', 'compress'];

/**
 * True when a parsed static configuration is Traefik v1's: it has a v1-only key (`defaultEntryPoints`,
 * `logLevel`, `[file]`, `[web]`, `[backends]` …) or a v1-shaped entrypoint, and no v3-only key.
 *
 * @example isV1Static({ defaultEntryPoints: ['http'] }) === true
 */
export function isV1Static(tree: unknown): boolean {
  if (!isObject(tree)) return false;
  if (V3_ONLY.some((k) => keyOf(tree, k) !== undefined)) return false;
  if (V1_ONLY.some((k) => keyOf(tree, k) !== undefined)) return true;
  // `[backends]`/`[frontends]` alone are a v1 dynamic file; beside `[entryPoints]` they are inline in a static one.
  const inline = keyOf(tree, 'backends') !== undefined || keyOf(tree, 'frontends') !== undefined;
  if (inline && keyOf(tree, 'entryPoints') !== undefined) return true;
  return children(tree, 'entryPoints').some(([, ep]) =>
    V1_ENTRYPOINT_KEYS.some((k) => keyOf(ep, k) !== undefined),
  );
}

/** True when a dynamic configuration file is Traefik v1's (`[backends]`/`[frontends]`, no `http`/`tcp`/`udp`). */
export function isV1Dynamic(tree: unknown): boolean {
  if (!isObject(tree)) return false;
  if (['http', 'tcp', 'udp'].some((k) => keyOf(tree, k) !== undefined)) return false;
  return (
    keyOf(tree, 'backends') !== undefined ||
    keyOf(tree, 'frontends') !== undefined ||
    Array.isArray(get(tree, 'tls'))
  );
}

/** Top-level keys of v3 dynamic configuration. */
const V3_DYNAMIC = ['http', 'tcp', 'udp', 'tls'];

/**
 * Why a parsed file is not a Traefik v1 configuration, for a message (`looks like Traefik v3 static
 * configuration (providers, entryPoints.web.address)`).
 *
 * @example whyNotV1({ providers: {} }) // 'it looks like Traefik v2/v3 static configuration (top-level "providers")'
 */
export function whyNotV1(tree: unknown): string {
  if (!isObject(tree)) return 'it is not a table of settings';
  const keys = Object.keys(tree);
  if (keys.length === 0) return 'it is empty';
  const v3Static = V3_ONLY.map((k) => keyOf(tree, k)).filter((k) => k !== undefined);
  if (v3Static.length > 0) return `it looks like Traefik v2/v3 static configuration (${quoted(v3Static)})`;
  const v3Dynamic = V3_DYNAMIC.map((k) => keyOf(tree, k)).filter((k) => k !== undefined);
  if (v3Dynamic.length > 0) return `it looks like Traefik v2/v3 dynamic configuration (${quoted(v3Dynamic)})`;
  if (keyOf(tree, 'entryPoints') !== undefined)
    return 'its entryPoints have no v1-only setting and it has no v1-only key (defaultEntryPoints, [file], [backends] …)';
  return `it has none of v1's keys (defaultEntryPoints, [entryPoints], [file], [backends], [frontends] …; found ${quoted(keys.slice(0, 5))})`;
}

function quoted(keys: string[]): string {
  return `top-level ${keys.map((k) => `"${k}"`).join(', ')}`;
}
