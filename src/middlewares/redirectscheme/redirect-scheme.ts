import type { IncomingHttpHeaders } from 'node:http';
import { SwitchyardError } from '../../core/errors.js';
import { type HttpContext, sendText } from '../../core/http-context.js';
import type { Middleware } from '../contract.js';
import type { RedirectSchemeOptions } from './schema.js';

const STATUS_TEXT: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
};

/**
 * Redirects to `scheme://host[:port]/same/path?query` unless the request already uses that scheme and
 * port (so an `https` redirect placed on every entrypoint cannot loop).
 *
 * As in Traefik: the request's scheme is the connection's, overridden by a valid `X-Forwarded-Proto`
 * (`http`/`ws` mean http, `https`/`wss` mean https, anything else is ignored); its port comes from the
 * Host header, with 80 for http and 443 for https counting as no port; the target port is dropped when it
 * is the default of the target scheme (80 for http, 443 for https). An unset `port` therefore also
 * redirects `https://host:8443/` to `https://host/`. Redirects answer 302/301 (permanent) to GET and
 * HEAD and 307/308 to other methods, whose body must be replayed; `forcePermanentRedirect` answers 308 to
 * every method (an internal field of Traefik's, set by its ingress-nginx provider; accepted here in files).
 *
 * Differences from Traefik, on purpose: HEAD is answered like GET (Traefik sends it 307/308; RFC 9110
 * asks for the same headers as GET), the scheme is compared and sent in lower case (Traefik loops on
 * `scheme: HTTPS`), IPv6 hosts keep their brackets, a joined `X-Forwarded-Proto: https, http` counts
 * by its first value, and a port that is not a number is a configuration error.
 */
export function createRedirectScheme(options: RedirectSchemeOptions): Middleware {
  const scheme = options.scheme.trim().toLowerCase();
  if (scheme === '') throw new SwitchyardError('CONFIG_INVALID', 'redirectScheme: scheme must not be empty');
  const port = (options.port ?? '').trim();
  if (port !== '' && !/^\d{1,5}$/.test(port)) {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `redirectScheme: port ${JSON.stringify(options.port)} is not a number`,
    );
  }
  const portSuffix = port === '' || isDefaultPort(scheme, port) ? '' : `:${port}`;
  const prefix = `${scheme}://`;
  const [safeStatus, otherStatus] = options.forcePermanentRedirect
    ? [308, 308]
    : options.permanent
      ? [301, 308]
      : [302, 307];
  return (next) => (ctx) => {
    const current = requestScheme(ctx);
    const host = requestHost(ctx.req.headers);
    const colon = portColon(host);
    if (current === scheme && currentPortSuffix(current, host, colon) === portSuffix) {
      next(ctx);
      return;
    }
    const method = ctx.req.method;
    const status = method === 'GET' || method === 'HEAD' ? safeStatus : otherStatus;
    const location =
      prefix + (colon === -1 ? host : host.slice(0, colon)) + portSuffix + (ctx.req.url ?? '/');
    sendText(ctx, status, STATUS_TEXT[status]!, { location });
  };
}

function isDefaultPort(scheme: string, port: string): boolean {
  return (scheme === 'http' && port === '80') || (scheme === 'https' && port === '443');
}

/**
 * The scheme the client used: a valid X-Forwarded-Proto, else `https` on TLS, else the scheme of an
 * absolute-form target (`GET https://host/x`), else `http`.
 */
function requestScheme(ctx: HttpContext): string {
  const own = ctx.scheme === 'https' ? 'https' : (ctx.targetScheme ?? 'http');
  const forwarded = firstValue(ctx.req.headers, 'x-forwarded-proto');
  if (forwarded === undefined) return own;
  switch (forwarded.toLowerCase()) {
    case 'http':
    case 'ws':
      return 'http';
    case 'https':
    case 'wss':
      return 'https';
    default:
      return own;
  }
}

/** First value of a header that may be repeated or comma-joined; undefined when absent or empty. */
function firstValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined) return undefined;
  const comma = text.indexOf(',');
  const value = (comma === -1 ? text : text.slice(0, comma)).trim();
  return value === '' ? undefined : value;
}

/** The Host header, or HTTP/2's `:authority`. */
function requestHost(headers: IncomingHttpHeaders): string {
  const host = headers.host ?? headers[':authority'];
  return typeof host === 'string' ? host : '';
}

/** Index of the `:` before the port in a Host value (`[::1]:80` → 5), or -1 when there is no port. */
function portColon(host: string): number {
  const start = host.charCodeAt(0) === 91 /* [ */ ? host.indexOf(']') : 0;
  return host.indexOf(':', Math.max(start, 0));
}

/** `:port` of the request as it would appear in its URL: '' without a port or with the scheme's default. */
function currentPortSuffix(scheme: string, host: string, colon: number): string {
  if (colon === -1 || colon === host.length - 1) return '';
  const port = host.slice(colon + 1);
  return isDefaultPort(scheme, port) ? '' : `:${port}`;
}
