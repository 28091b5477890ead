import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { SwitchyardError } from '../core/errors.js';
import type { HttpContext } from '../core/http-context.js';

/**
 * The X-headers Switchyard manages (lowercase). An untrusted client may not set them, and a `Connection`
 * header cannot make the proxy drop them.
 */
export const MANAGED_X_HEADERS: ReadonlySet<string> = new Set([
  'x-forwarded-proto',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-server',
  'x-forwarded-uri',
  'x-forwarded-method',
  'x-forwarded-prefix',
  'x-forwarded-tls-client-cert',
  'x-forwarded-tls-client-cert-info',
  'x-forwarded-scheme',
  'x-scheme',
  'x-real-ip',
]);

/** The compiled `forwardedHeaders` settings of one entrypoint. */
export interface ForwardedTrust {
  readonly insecure: boolean;
  /** Undefined when no trusted IPs are configured. */
  readonly trusted: BlockList | undefined;
  readonly notAppendXForwardedFor: boolean;
}

/**
 * Compiles an entrypoint's `forwardedHeaders` options once (CIDRs and plain addresses, v4 and v6).
 * Throws a SwitchyardError (CONFIG_INVALID) naming a bad entry.
 *
 * @example compileForwardedTrust({ insecure: false, trustedIPs: ['10.0.0.0/8', '::1'] })
 */
export function compileForwardedTrust(options: {
  insecure?: boolean;
  trustedIPs?: readonly string[];
  notAppendXForwardedFor?: boolean;
  /** The key named in the error message (default `forwardedHeaders.trustedIPs`). */
  key?: string;
}): ForwardedTrust {
  const list = options.trustedIPs ?? [];
  let trusted: BlockList | undefined;
  if (list.length > 0) {
    trusted = new BlockList();
    for (const entry of list) addTrusted(trusted, entry.trim(), options.key ?? 'forwardedHeaders.trustedIPs');
  }
  return {
    insecure: options.insecure ?? false,
    trusted,
    notAppendXForwardedFor: options.notAppendXForwardedFor ?? false,
  };
}

function addTrusted(list: BlockList, entry: string, key: string): void {
  const slash = entry.indexOf('/');
  const ip = stripZone(slash < 0 ? entry : entry.slice(0, slash));
  const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : undefined;
  const prefix = slash < 0 ? undefined : Number(entry.slice(slash + 1));
  const max = family === 'ipv4' ? 32 : 128;
  if (!family || (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= max))) {
    throw new SwitchyardError('CONFIG_INVALID', `${key}: "${entry}" is not an IP address or CIDR`);
  }
  if (prefix === undefined) list.addAddress(ip, family);
  else list.addSubnet(ip, prefix, family);
}

function stripZone(ip: string): string {
  const pct = ip.indexOf('%');
  return pct < 0 ? ip : ip.slice(0, pct);
}

/** Whether `clientIp` may set the managed X-headers. */
export function isTrustedSource(clientIp: string, trust: ForwardedTrust): boolean {
  if (trust.insecure) return true;
  const list = trust.trusted;
  if (!list) return false;
  const ip = stripZone(clientIp);
  if (isIPv4(ip)) return list.check(ip, 'ipv4');
  if (isIPv6(ip)) return list.check(ip, 'ipv6');
  return false;
}

/**
 * Entrypoint step, before routing: deletes the managed X-headers (and their underscore spellings such as
 * `X_Forwarded_For`) from `req.headers` unless the peer is trusted (`insecure` or in `trustedIPs`), and
 * marks the request when the entrypoint does not append to `X-Forwarded-For`. The proxy reads
 * `req.headers` (not `rawHeaders`), so this is all it takes.
 *
 * @example sanitizeForwardedHeaders(ctx, trust) // in the entrypoint, before routing
 */
export function sanitizeForwardedHeaders(ctx: HttpContext, trust: ForwardedTrust): void {
  if (trust.notAppendXForwardedFor) ctx.forwardedFor = 'as-is';
  if (isTrustedSource(ctx.clientIp, trust)) return;
  const headers = ctx.req.headers;
  for (const name in headers) {
    if (name.charCodeAt(0) !== 120 /* x */) continue;
    if (
      MANAGED_X_HEADERS.has(name) ||
      (name.indexOf('_') >= 0 && MANAGED_X_HEADERS.has(name.replaceAll('_', '-')))
    ) {
      delete headers[name];
    }
  }
}
