import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { HttpContext } from '../core/http-context.js';

/**
 * What observability reads about a finished request. Computed from the context once per request by each
 * subscriber that needs it; nothing here runs unless someone subscribes to the request-end channel.
 */

/** The status the client saw: the written status, 499 when the client left before any head. */
export function finalStatus(ctx: HttpContext): number {
  if (ctx.abortedStatus !== undefined) return ctx.abortedStatus;
  const raw = ctx.rawRes;
  if (ctx.upgrade !== undefined) return raw.headersSent ? raw.statusCode : 101;
  return raw.headersSent ? raw.statusCode : 499;
}

/** Seconds since the request arrived. */
export function durationSeconds(ctx: HttpContext): number {
  return (performance.now() - ctx.startedAt) / 1000;
}

/** Traefik's `protocol` label: `websocket` for upgrades, `sse` for event streams, else `http`. */
export function protocolOf(ctx: HttpContext): string {
  if (ctx.upgrade !== undefined) return 'websocket';
  const accept = ctx.req.headers.accept;
  return accept !== undefined && accept.indexOf('text/event-stream') !== -1 ? 'sse' : 'http';
}

/** Request body size from `Content-Length` (0 when absent or chunked). */
export function requestBytes(ctx: HttpContext): number {
  const cl = ctx.req.headers['content-length'];
  if (cl === undefined) return 0;
  const n = Number(cl);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

const written = new WeakMap<Socket, number>();

/**
 * Response body bytes. `Content-Length` when the response set one; otherwise what the socket wrote since
 * the previous response on it (keep-alive responses are sequential), less the head.
 */
export function responseBytes(ctx: HttpContext): number {
  const raw = ctx.rawRes;
  const socket = ctx.req.socket as Socket | null;
  let delta = 0;
  if (socket) {
    const now = socket.bytesWritten;
    delta = now - (written.get(socket) ?? 0);
    written.set(socket, now);
  }
  const cl = raw.getHeader('content-length');
  if (cl !== undefined && ctx.rawRes.headersSent) {
    const n = Number(cl);
    if (Number.isFinite(n)) return ctx.req.method === 'HEAD' ? 0 : n;
  }
  const head = (raw as unknown as { _header?: string | null })._header;
  return Math.max(0, delta - (typeof head === 'string' ? head.length : 0));
}

/** The response headers as sent (parsed from the written head; `writeHead(obj)` leaves `getHeaders()` empty). */
export function sentResponseHeaders(ctx: HttpContext): Record<string, string> {
  const out: Record<string, string> = {};
  const head = (ctx.rawRes as unknown as { _header?: string | null })._header;
  if (typeof head !== 'string') {
    for (const [k, v] of Object.entries(ctx.rawRes.getHeaders()))
      if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
    return out;
  }
  const lines = head.split('\r\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return out;
}
