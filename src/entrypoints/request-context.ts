import { STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { connectionFacts } from '../connection/connection-facts.js';
import {
  type DownstreamProtocol,
  type DownstreamRequest,
  type DownstreamResponse,
  type HttpContext,
  sendText,
} from '../core/http-context.js';
import { adoptAbsoluteTarget, requestRefusal } from './request-target.js';

/**
 * Builds the per-request context. Everything routing needs (host, routing path, query) is computed once
 * here so matchers never re-parse. An absolute-form target (`GET http://host/x`) is first turned into
 * the origin form with the URL's host, as Go's server does (see request-target.ts).
 */
export function createContext(
  req: DownstreamRequest,
  res: DownstreamResponse,
  protocol: DownstreamProtocol,
  entryPoint: string,
  scheme: 'http' | 'https',
  upgrade?: { socket: Duplex; head: Buffer },
): HttpContext {
  const targetScheme = adoptAbsoluteTarget(req);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const socket = req.socket;
  // A trusted PROXY header names the client (entrypoint `proxyProtocol`).
  const client = connectionFacts(socket)?.client;
  return {
    req,
    res,
    rawRes: res,
    protocol,
    entryPoint,
    scheme,
    clientIp: normalizeIp(client?.address ?? socket.remoteAddress ?? ''),
    clientPort: client?.port ?? socket.remotePort ?? 0,
    host: canonicalHost(req.headers.host ?? ''),
    path: routingPath(rawPath),
    rawQuery: q === -1 ? '' : url.slice(q + 1),
    startedAt: performance.now(),
    routerName: undefined,
    serviceName: undefined,
    serverUrl: undefined,
    retryAttempts: 0,
    origin: undefined,
    headHooks: undefined,
    upgrade,
    abortedStatus: undefined,
    forwardedFor: 'append',
    targetScheme,
  };
}

// Connections on which a request was refused: Go stops reading there, so requests the client pipelined
// after the bad one (Node has already parsed them) are dropped unanswered; the connection closes once
// the refusal is written.
const refusedConnections = new WeakSet<object>();

/**
 * Answers a request Go's server would refuse (see `requestRefusal`) and returns true; the connection is
 * closed after the answer, as Go does, and nothing the client sent after the bad request is served.
 */
export function refuseRequest(ctx: HttpContext): boolean {
  const socket = ctx.req.socket;
  // HTTP/2: node's session validated the head. (`GET / HTTP/2.0` on an HTTP/1 connection is refused below.)
  if (ctx.protocol.name === 'HTTP/2.0') return false;
  if (refusedConnections.has(socket)) return true;
  const refusal = requestRefusal(ctx.req);
  if (refusal === undefined) return false;
  refusedConnections.add(socket);
  ctx.protocol.closeAfterResponse(ctx);
  const text = `${refusal.status} ${STATUS_CODES[refusal.status]}: ${refusal.reason}`;
  sendText(ctx, refusal.status, text, { connection: 'close' });
  return true;
}

/** `::ffff:1.2.3.4` → `1.2.3.4`. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/** Lowercased, port and trailing dot removed; IPv6 literals keep their brackets off. */
export function canonicalHost(host: string): string {
  if (host === '') return '';
  let h = host;
  if (h.charCodeAt(0) === 91 /* [ */) {
    const end = h.indexOf(']');
    h = end === -1 ? h.slice(1) : h.slice(1, end);
  } else {
    const colon = h.indexOf(':');
    if (colon !== -1) h = h.slice(0, colon);
  }
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h.toLowerCase();
}

const RESERVED = new Set(['%2F', '%2f', '%3F', '%3f', '%23', '%23', '%25', '%5C', '%5c', '%3B', '%3b']);

/**
 * The path routing sees: percent-escapes of non-reserved characters decoded, reserved ones (`%2F`, `%3F`,
 * `%23`, `%25`, `%5C`, `%3B`) kept encoded, as Traefik's routing path.
 */
export function routingPath(rawPath: string): string {
  if (rawPath.indexOf('%') === -1) return rawPath;
  return rawPath.replace(/%[0-9A-Fa-f]{2}/g, (esc) => {
    if (RESERVED.has(esc)) return esc.toUpperCase();
    const code = Number.parseInt(esc.slice(1), 16);
    // Leave bytes of multi-byte UTF-8 sequences encoded unless the whole sequence decodes.
    return code < 0x80 ? String.fromCharCode(code) : esc;
  });
}

/** Removes `.` and `..` segments and collapses `//`, as Traefik's sanitizePath (default on). */
export function sanitizePath(path: string): string {
  if (path.indexOf('/.') === -1 && path.indexOf('//') === -1) return path;
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  const trailing = path.endsWith('/') || path.endsWith('/.') || path.endsWith('/..');
  const joined = `/${out.join('/')}`;
  return trailing && joined !== '/' ? `${joined}/` : joined;
}
