import { readFileSync } from 'node:fs';
import type { ConnectionOptions, SecureVersion } from 'node:tls';
import type { ServersTransport } from '../config/dynamic/index.js';
import { SwitchyardError } from '../core/errors.js';
import { GenerationStore } from '../core/generation-store.js';
import { H2Origin, type H2OriginOptions } from './h2-origin.js';
import type { HeadTarget } from './request-head.js';
import { applyTlsChecks } from './transport-tls-checks.js';
import { type PoolOptions, UpstreamPool } from './upstream-pool.js';

/** One server of a service, ready to forward to. Built once per configuration generation. */
export interface UpstreamTarget extends HeadTarget {
  /** The server URL exactly as configured (what `ctx.serverUrl` and sticky cookies use). */
  readonly url: string;
  /** HTTP/1.1 connections (all requests of http:// servers; upgrades; https:// servers without h2). */
  readonly pool: UpstreamPool;
  /** The HTTP/2 session of an `h2c://` server, or of an `https://` one that may pick `h2` by ALPN. */
  readonly h2: H2Origin | undefined;
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
/** HTTP/2 sessions, kept across reloads like the pools (same key). */
const h2Origins = new GenerationStore<H2Origin>((origin) => origin.close());

/** Traefik's default for `maxIdleConnsPerHost` on the default transport; we use it for 0/unset too. */
export const DEFAULT_MAX_IDLE = 200;

/**
 * Builds the target for one `loadBalancer.servers[]` entry. Throws a SwitchyardError (CONFIG_INVALID)
 * naming the URL when it cannot be used, or TLS_CERTIFICATE for an unreadable CA or client certificate.
 * `h2c://` servers get an HTTP/2 (cleartext) origin; `https://` servers get one that offers `h2` by ALPN
 * unless the transport sets `disableHTTP2`.
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
  // h2c:// servers still take HTTP/1.1 connections for protocol upgrades (WebSocket).
  const h1Protocol = parsed.protocol === 'h2c:' ? 'http:' : parsed.protocol;
  const pool = pools.use(
    key,
    options.generation,
    () => new UpstreamPool(poolOptions(h1Protocol, host, port, cfg)),
  );
  const h2 =
    parsed.protocol === 'h2c:' || (parsed.protocol === 'https:' && cfg.disableHTTP2 !== true)
      ? h2Origins.use(key, options.generation, () => new H2Origin(h2Options(parsed.protocol, pool, cfg)))
      : undefined;
  const maxIdle = pool.options.maxIdle;
  const path = parsed.pathname;
  return {
    url: server.url,
    pool,
    h2,
    hostHeader: parsed.host,
    pathPrefix: server.preservePath && path !== '/' && path !== '' ? path : '',
    passHostHeader: options.passHostHeader,
    closeAfter: maxIdle < 0,
  };
}

/** Disposes the pools no live generation uses; call after a reload with the oldest live generation. */
export function sweepUpstreamPools(oldestLiveGeneration: number): void {
  pools.sweep(oldestLiveGeneration);
  h2Origins.sweep(oldestLiveGeneration);
}

/** Closes every pool (process shutdown). */
export function closeUpstreamPools(): void {
  pools.sweep(Number.POSITIVE_INFINITY);
  h2Origins.sweep(Number.POSITIVE_INFINITY);
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
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:' && parsed.protocol !== 'h2c:') {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `server URL "${url}": scheme must be http://, https:// or h2c://`,
    );
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

function h2Options(protocol: string, pool: UpstreamPool, cfg: ServersTransport): H2OriginOptions {
  const o = pool.options;
  const timeouts = cfg.forwardingTimeouts ?? {};
  return {
    scheme: protocol === 'h2c:' ? 'h2c' : 'https',
    host: o.host,
    port: o.port,
    tls: o.tls,
    dialTimeoutMs: o.dialTimeoutMs,
    responseHeaderTimeoutMs: o.responseHeaderTimeoutMs,
    idleTimeoutMs: o.idleTimeoutMs,
    readIdleTimeoutMs: Math.max(0, timeouts.readIdleTimeout ?? 0),
    pingTimeoutMs: Math.max(1, timeouts.pingTimeout ?? 15_000),
  };
}

const TLS_VERSIONS: Record<string, SecureVersion> = {
  VersionTLS10: 'TLSv1',
  VersionTLS11: 'TLSv1.1',
  VersionTLS12: 'TLSv1.2',
  VersionTLS13: 'TLSv1.3',
};

/**
 * The TLS client settings of a serversTransport for HTTP/1.1 connections (SPIFFE is not applied yet);
 * the HTTP/2 origin offers `h2, http/1.1` by ALPN on top of these.
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
