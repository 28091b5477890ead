import { hostname } from 'node:os';
import type { HttpContext } from '../core/http-context.js';
import { MANAGED_X_HEADERS } from './forwarded-headers.js';
import { INVALID_VALUE, TOKEN } from './response-head.js';

/** Value of `X-Forwarded-Server`: this machine's name, as Traefik sends it. */
export const SERVER_NAME = safeHostname();

/** What building the head learned about the request body; the upstream connection is one. */
export interface RequestFraming {
  /** A body follows the head. */
  hasBody: boolean;
  /** The body is sent chunked (the client sent it with `Transfer-Encoding`). */
  chunked: boolean;
  /** `Expect: 100-continue` went upstream: hold the body until the server says 100 (or a timer fires). */
  expectContinue: boolean;
}

/** Where and how a request goes; the parts of an upstream target the head needs. */
export interface HeadTarget {
  /** Server `host[:port]`, the Host sent when `passHostHeader` is false. */
  readonly hostHeader: string;
  /** Server URL path joined in front of the request path (`preservePath`), else ''. */
  readonly pathPrefix: string;
  readonly passHostHeader: boolean;
  /** The connection will not be reused (`maxIdleConnsPerHost` < 0): ask the server to close it. */
  readonly closeAfter: boolean;
}

const HAS_PROTO = 1;
const HAS_HOST = 2;
const HAS_PORT = 4;
const HAS_REAL_IP = 8;

/**
 * Serialises the upstream request head from `ctx.req` (method, target, `req.headers` as middlewares left
 * them): drops hop-by-hop headers and those named in `Connection`, adds the X-Forwarded set, and fills
 * `out` with the body framing. `upgrade` keeps `Upgrade`/`Connection: Upgrade` for a protocol switch.
 * Header values that could break the framing (CR, LF, controls) are dropped.
 */
export function buildRequestHead(
  ctx: HttpContext,
  target: HeadTarget,
  upgrade: boolean,
  out: RequestFraming,
): string {
  const req = ctx.req;
  const headers = req.headers;
  const connection = headers.connection;
  const dropped = connection === undefined ? undefined : connectionNamed(connection, upgrade);
  const clientHost = headers.host;
  let url = req.url ?? '/';
  if (url.charCodeAt(0) !== 47 /* / */) url = originForm(url);
  if (target.pathPrefix !== '') url = joinPath(target.pathPrefix, url);
  const host = target.passHostHeader && clientHost ? clientHost : target.hostHeader;
  let head = `${req.method} ${url} HTTP/1.1\r\nHost: ${host}\r\n`;
  let have = 0;
  let xff: string | undefined;
  let proto: string | undefined;
  let cl: string | undefined;
  let chunked = false;
  let codings = '';
  let expect = false;
  let teTrailers = false;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    switch (name) {
      case 'host':
      case 'connection':
      case 'keep-alive':
      case 'proxy-connection':
      case 'proxy-authenticate':
      case 'proxy-authorization':
      case 'trailer':
      case 'x-forwarded-server':
        continue;
      case 'transfer-encoding':
        // Node decoded the chunked framing; other codings (gzip, chunked) still apply to the bytes.
        chunked = true;
        codings = String(value);
        continue;
      case 'te':
        teTrailers = /(^|,)\s*trailers\s*(,|$)/i.test(String(value));
        continue;
      case 'upgrade':
        if (!upgrade) continue;
        break;
      case 'content-length':
        cl = String(value);
        continue;
      case 'expect':
        expect = String(value).toLowerCase() === '100-continue';
        if (expect) continue;
        break;
      case 'x-forwarded-for':
        xff = Array.isArray(value) ? value.join(', ') : value;
        continue;
      case 'x-forwarded-proto':
        have |= HAS_PROTO;
        proto = String(value);
        break;
      case 'x-forwarded-host':
        have |= HAS_HOST;
        break;
      case 'x-forwarded-port':
        have |= HAS_PORT;
        break;
      case 'x-real-ip':
        have |= HAS_REAL_IP;
        break;
    }
    if (dropped?.includes(name)) continue;
    if (typeof value === 'string') {
      if (INVALID_VALUE.test(value) || !TOKEN.test(name)) continue;
      head += `${canonicalName(name)}: ${value}\r\n`;
    } else {
      if (!TOKEN.test(name)) continue;
      for (let i = 0; i < value.length; i++) {
        const v = value[i]!;
        if (!INVALID_VALUE.test(v)) head += `${canonicalName(name)}: ${v}\r\n`;
      }
    }
  }
  // Body framing: Node hands us the decoded body, so a chunked request is re-chunked.
  const hasBody = chunked || (cl !== undefined && cl !== '0');
  // The last coding is written `chunked` whatever case the client used: a server that compares it
  // case-sensitively must frame the body as this proxy does.
  if (chunked)
    head += `Transfer-Encoding: ${CHUNKED_LAST.test(codings) ? codings.replace(/chunked\s*$/i, 'chunked').trim() : 'chunked'}\r\n`;
  else if (cl !== undefined && /^\d+$/.test(cl)) head += `Content-Length: ${cl}\r\n`;
  out.hasBody = hasBody;
  out.chunked = chunked;
  // If the client was already told to go on (Node answers 100 itself without a checkContinue listener),
  // the body is on its way: no point in asking the server.
  // An HTTP/1.0 client does not wait for 100 Continue (and must not get one): Go ignores its Expect.
  const continues = expect && hasBody && (ctx.req.httpVersionMajor > 1 || ctx.req.httpVersionMinor >= 1);
  out.expectContinue = continues && !ctx.protocol.continueSent(ctx);
  if (out.expectContinue) head += 'Expect: 100-continue\r\n';
  if (teTrailers) head += 'Te: trailers\r\n';
  if (upgrade) head += 'Connection: Upgrade\r\n';
  else if (target.closeAfter) head += 'Connection: close\r\n';

  const clientIp = ctx.clientIp;
  const mode = ctx.forwardedFor;
  if (mode === 'append') xff = xff === undefined || xff === '' ? clientIp : `${xff}, ${clientIp}`;
  if (xff !== undefined && mode !== 'none') head += `X-Forwarded-For: ${xff}\r\n`;
  if ((have & HAS_PROTO) === 0) {
    proto = upgrade && isWebSocket(headers.upgrade) ? (ctx.scheme === 'https' ? 'wss' : 'ws') : ctx.scheme;
    head += `X-Forwarded-Proto: ${proto}\r\n`;
  }
  if ((have & HAS_HOST) === 0 && clientHost) head += `X-Forwarded-Host: ${clientHost}\r\n`;
  if ((have & HAS_PORT) === 0)
    head += `X-Forwarded-Port: ${forwardedPort(clientHost, proto, ctx.scheme)}\r\n`;
  head += `X-Forwarded-Server: ${SERVER_NAME}\r\n`;
  if ((have & HAS_REAL_IP) === 0) head += `X-Real-Ip: ${clientIp}\r\n`;
  return `${head}\r\n`;
}

/** Header names listed in `Connection` that must not travel on (managed X-headers are exempt). */
export function connectionNamed(value: string | string[], upgrade: boolean): string[] | undefined {
  const text = Array.isArray(value) ? value.join(',') : value;
  let out: string[] | undefined;
  for (const raw of text.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '' || name === 'close' || name === 'keep-alive' || MANAGED_X_HEADERS.has(name)) continue;
    if (name === 'upgrade' && upgrade) continue;
    if (out === undefined) out = [name];
    else out.push(name);
  }
  return out;
}

/** `X-Forwarded-Port`: the Host port, else 443 for https/wss, else 80 (as Traefik). */
export function forwardedPort(host: string | undefined, proto: string | undefined, scheme: string): string {
  if (host) {
    const colon = host.lastIndexOf(':');
    if (colon > 0 && colon > host.lastIndexOf(']')) {
      const port = host.slice(colon + 1);
      if (port !== '') return port;
    }
  }
  if (proto === 'https' || proto === 'wss' || scheme === 'https') return '443';
  return '80';
}

function isWebSocket(value: string | undefined): boolean {
  return value !== undefined && /(^|,)\s*websocket\s*(,|$)/i.test(value);
}

/** `http://host/p?q` (absolute-form request target) → `/p?q`; `*` stays `*`. */
export function originForm(url: string): string {
  if (url === '*') return url;
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return `/${url}`;
  }
}

/** Joins a server path in front of the request path with exactly one slash between them. */
export function joinPath(prefix: string, url: string): string {
  if (url === '*') return prefix;
  const aSlash = prefix.endsWith('/');
  const bSlash = url.charCodeAt(0) === 47;
  if (aSlash && bSlash) return prefix + url.slice(1);
  if (!aSlash && !bSlash) return `${prefix}/${url}`;
  return prefix + url;
}

function safeHostname(): string {
  try {
    return hostname() || 'localhost';
  } catch {
    return 'localhost';
  }
}

const CHUNKED_LAST = /(^|,)\s*chunked\s*$/i;

const canonicalNames = new Map<string, string>();

/**
 * `x-forwarded-for` → `X-Forwarded-For`, as Go canonicalises header names (Node hands them lowercased).
 * Cached: header names repeat across requests; the cache is bounded against hostile clients.
 */
export function canonicalName(name: string): string {
  let out = canonicalNames.get(name);
  if (out !== undefined) return out;
  out = name.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
  if (canonicalNames.size < 2048) canonicalNames.set(name, out);
  return out;
}
