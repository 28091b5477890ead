import { readFileSync } from 'node:fs';
import type { ConnectionOptions, SecureVersion } from 'node:tls';
import type { ServersTransport } from '../config/dynamic/index.js';
import { SwitchyardError } from '../core/errors.js';
import { GenerationStore } from '../core/generation-store.js';
import type { HeadTarget } from './request-head.js';
import { applyTlsChecks } from './transport-tls-checks.js';
import { type PoolOptions, UpstreamPool } from './upstream-pool.js';

/** One server of a service, ready to forward to. Built once per configuration generation. */
export interface UpstreamTarget extends HeadTarget {
  /** The server URL exactly as configured (what `ctx.serverUrl` and sticky cookies use). */
  readonly url: string;
  readonly pool: UpstreamPool;
}

/** Per-service forwarding options, built once (never per request). */
export interface ForwardOptions {
  /** Told how each exchange ended (for balancers that learn and passive health checks). */
  onResult?(target: UpstreamTarget, ok: boolean, ttfbMs?: number): void;
}

/**
 * Connection pools outlive configuration reloads: a pool is keyed by transport name, transport settings
 * and origin, so an unchanged server keeps its warm connections across generations.
 */
const pools = new GenerationStore<UpstreamPool>((pool) => pool.close());

/** Traefik's default for `maxIdleConnsPerHost` on the default transport; we use it for 0/unset too. */
export const DEFAULT_MAX_IDLE = 200;

/**
 * Builds the target for one `loadBalancer.servers[]` entry. Throws a SwitchyardError (CONFIG_INVALID)
 * naming the URL when it cannot be used (`h2c://` is not supported yet), or TLS_CERTIFICATE for an
 * unreadable CA or client certificate.
 *
 * @example createUpstreamTarget({ url: 'http://10.0.0.1:8080' }, transport, { passHostHeader: true, generation })
 */
export function createUpstreamTarget(
  server: { url: string; preservePath?: boolean },
  transport: { name: string; config: ServersTransport },
  options: { passHostHeader: boolean; generation: number },
): UpstreamTarget {
  const parsed = parseServerUrl(server.url);
  const cfg = transport.config;
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const key = `${transport.name}|${JSON.stringify(cfg)}|${parsed.protocol}//${host}:${port}`;
  const pool = pools.use(
    key,
    options.generation,
    () => new UpstreamPool(poolOptions(parsed.protocol, host, port, cfg)),
  );
  const maxIdle = pool.options.maxIdle;
  const path = parsed.pathname;
  return {
    url: server.url,
    pool,
    hostHeader: parsed.host,
    pathPrefix: server.preservePath && path !== '/' && path !== '' ? path : '',
    passHostHeader: options.passHostHeader,
    closeAfter: maxIdle < 0,
  };
}

/** Disposes the pools no live generation uses; call after a reload with the oldest live generation. */
export function sweepUpstreamPools(oldestLiveGeneration: number): void {
  pools.sweep(oldestLiveGeneration);
}

/** Closes every pool (process shutdown). */
export function closeUpstreamPools(): void {
  pools.sweep(Number.POSITIVE_INFINITY);
}

/** Number of live pools (tests, metrics). */
export function upstreamPoolCount(): number {
  return pools.size;
}

function parseServerUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SwitchyardError('CONFIG_INVALID', `server URL "${url}" is not a valid URL`);
  }
  if (parsed.protocol === 'h2c:') {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `server URL "${url}": h2c:// (HTTP/2 cleartext) upstreams are not supported yet; use http:// or https://`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SwitchyardError('CONFIG_INVALID', `server URL "${url}": scheme must be http:// or https://`);
  }
  if (parsed.hostname === '') throw new SwitchyardError('CONFIG_INVALID', `server URL "${url}" has no host`);
  return parsed;
}

function poolOptions(protocol: string, host: string, port: number, cfg: ServersTransport): PoolOptions {
  const timeouts = cfg.forwardingTimeouts ?? {};
  const configured = cfg.maxIdleConnsPerHost ?? 0;
  return {
    protocol: protocol as 'http:' | 'https:',
    host,
    port,
    maxIdle: configured === 0 ? DEFAULT_MAX_IDLE : configured < 0 ? -1 : configured,
    idleTimeoutMs: Math.max(0, timeouts.idleConnTimeout ?? 90_000),
    dialTimeoutMs: Math.max(0, timeouts.dialTimeout ?? 30_000),
    responseHeaderTimeoutMs: Math.max(0, timeouts.responseHeaderTimeout ?? 0),
    tls: protocol === 'https:' ? tlsOptions(cfg) : undefined,
  };
}

const TLS_VERSIONS: Record<string, SecureVersion> = {
  VersionTLS10: 'TLSv1',
  VersionTLS11: 'TLSv1.1',
  VersionTLS12: 'TLSv1.2',
  VersionTLS13: 'TLSv1.3',
};

/**
 * The TLS client settings of a serversTransport (SPIFFE and HTTP/2 by ALPN are not applied yet).
 */
export function tlsOptions(cfg: ServersTransport): ConnectionOptions {
  const opts: ConnectionOptions = { ALPNProtocols: ['http/1.1'] };
  if (cfg.serverName) opts.servername = cfg.serverName;
  if (cfg.insecureSkipVerify) opts.rejectUnauthorized = false;
  if (cfg.rootCAs && cfg.rootCAs.length > 0) opts.ca = cfg.rootCAs.map((ca) => pem(ca, 'rootCAs'));
  if (cfg.certificates && cfg.certificates.length > 0) {
    opts.cert = cfg.certificates.map((c) => pem(c.certFile, 'certFile'));
    opts.key = cfg.certificates.map((c) => pem(c.keyFile, 'keyFile'));
  }
  if (cfg.minVersion) opts.minVersion = tlsVersion(cfg.minVersion, 'minVersion');
  if (cfg.maxVersion) opts.maxVersion = tlsVersion(cfg.maxVersion, 'maxVersion');
  applyTlsChecks(opts, cfg);
  return opts;
}

function tlsVersion(value: string, key: string): SecureVersion {
  const v = TLS_VERSIONS[value];
  if (!v) {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `serversTransport ${key} "${value}" is not one of ${Object.keys(TLS_VERSIONS).join(', ')}`,
    );
  }
  return v;
}

/** Inline PEM, or a file path to read now (at build time, never per connection). */
function pem(value: string, key: string): string {
  if (value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (err) {
    throw new SwitchyardError('TLS_CERTIFICATE', `serversTransport ${key}: cannot read "${value}"`, {
      cause: err,
    });
  }
}
