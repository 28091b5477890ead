import type { OutgoingHttpHeaders } from 'node:http';
import type { HttpContext } from '../core/http-context.js';
import {
  connectionNamed,
  forwardedPort,
  type HeadTarget,
  joinPath,
  originForm,
  SERVER_NAME,
} from './request-head.js';
import { INVALID_VALUE, TOKEN } from './response-head.js';

/** Connection-specific headers HTTP/2 forbids (RFC 9113 §8.2.2), and those the proxy sets itself. */
const DROPPED = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'http2-settings',
  'x-forwarded-server',
]);

/**
 * The HTTP/2 request headers for `ctx.req`: the same end-to-end headers and X-Forwarded set as the
 * HTTP/1.1 head, as pseudo-headers plus lowercase fields. `:authority` is the client's Host when
 * `passHostHeader`, else the server's. `Expect` is not forwarded (the body is sent at once).
 */
export function buildH2Headers(
  ctx: HttpContext,
  target: HeadTarget,
  scheme: 'http' | 'https',
): OutgoingHttpHeaders {
  const req = ctx.req;
  const headers = req.headers;
  const connection = headers.connection;
  const dropped = connection === undefined ? undefined : connectionNamed(connection, false);
  const clientHost = headers.host;
  let url = req.url ?? '/';
  if (url.charCodeAt(0) !== 47 /* / */) url = originForm(url);
  if (target.pathPrefix !== '') url = joinPath(target.pathPrefix, url);
  const out: OutgoingHttpHeaders = {
    ':method': req.method ?? 'GET',
    ':scheme': scheme,
    ':authority': target.passHostHeader && clientHost ? clientHost : target.hostHeader,
    ':path': url,
  };
  let xff: string | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || DROPPED.has(name) || dropped?.includes(name) || !TOKEN.test(name)) continue;
    if (name === 'te') {
      if (/(^|,)\s*trailers\s*(,|$)/i.test(String(value))) out.te = 'trailers';
      continue;
    }
    if (name === 'x-forwarded-for') {
      xff = Array.isArray(value) ? value.join(', ') : value;
      continue;
    }
    if (typeof value === 'string') {
      if (!INVALID_VALUE.test(value)) out[name] = value;
    } else {
      const ok = value.filter((v) => !INVALID_VALUE.test(v));
      if (ok.length > 0) out[name] = ok;
    }
  }
  const clientIp = ctx.clientIp;
  const mode = ctx.forwardedFor;
  if (mode === 'append') xff = xff === undefined || xff === '' ? clientIp : `${xff}, ${clientIp}`;
  if (xff !== undefined && mode !== 'none') out['x-forwarded-for'] = xff;
  if (out['x-forwarded-proto'] === undefined) out['x-forwarded-proto'] = ctx.scheme;
  if (out['x-forwarded-host'] === undefined && clientHost) out['x-forwarded-host'] = clientHost;
  if (out['x-forwarded-port'] === undefined) {
    out['x-forwarded-port'] = forwardedPort(clientHost, String(out['x-forwarded-proto']), ctx.scheme);
  }
  out['x-forwarded-server'] = SERVER_NAME;
  if (out['x-real-ip'] === undefined) out['x-real-ip'] = clientIp;
  return out;
}

/** Whether the request carries a body to send upstream. */
export function requestHasBody(ctx: HttpContext): boolean {
  const replay = ctx.replayBody;
  if (replay !== undefined) return replay.length > 0;
  const h = ctx.req.headers;
  if (h['transfer-encoding'] !== undefined) return true;
  const cl = h['content-length'];
  return cl !== undefined && cl !== '0';
}
