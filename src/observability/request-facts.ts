import diagnostics from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { DownstreamResponse, HttpContext } from '../core/http-context.js';
import { HTTP_REQUEST_START_CHANNEL } from '../entrypoints/http-entrypoint.js';

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

const BODY = Symbol('switchyard.responseBodyBytes');
const SOCKET_START = Symbol('switchyard.socketBytesAtStart');
type Counted = ServerResponse & { [BODY]?: number; [SOCKET_START]?: number };

function chunkBytes(chunk: unknown, encoding: unknown): number {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return 0;
  if (typeof chunk === 'string')
    return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return (chunk as Uint8Array).byteLength ?? 0;
}

// Shared by every counted response (no closure per request); they call the prototype's own method.
function countingWrite(this: Counted, chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
  this[BODY]! += chunkBytes(chunk, encoding);
  return (Object.getPrototypeOf(this).write as (...a: unknown[]) => boolean).call(this, chunk, encoding, cb);
}
function countingEnd(this: Counted, chunk?: unknown, encoding?: unknown, cb?: unknown): ServerResponse {
  if (!this.writableEnded) this[BODY]! += chunkBytes(chunk, encoding);
  return (Object.getPrototypeOf(this).end as (...a: unknown[]) => ServerResponse).call(
    this,
    chunk,
    encoding,
    cb,
  );
}

function countResponse(message: unknown): void {
  const res = (message as HttpContext).rawRes as Counted;
  // A response that counts its body itself (the fast path's) is left as it is (it never upgrades).
  if (res[BODY] !== undefined || (res as DownstreamResponse).bodyBytes !== undefined) return;
  res[BODY] = 0;
  res[SOCKET_START] = (res.socket as Socket | null)?.bytesWritten ?? 0;
  res.write = countingWrite as ServerResponse['write'];
  res.end = countingEnd as ServerResponse['end'];
}

/**
 * A channel subscription shared by several users: subscribed while at least one holds it. `use()` returns
 * the release function (calling it twice releases once).
 */
export function sharedSubscription(channel: string, fn: (message: unknown) => void): () => () => void {
  let users = 0;
  return () => {
    if (users++ === 0) diagnostics.subscribe(channel, fn);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--users === 0) diagnostics.unsubscribe(channel, fn);
    };
  };
}

/**
 * Counts the body bytes of every response that does not count them itself from now on (what `responseBytes` reads), until the returned
 * function is called. The access log and the metrics call it; with neither, responses are untouched.
 */
export const useResponseCounting = sharedSubscription(HTTP_REQUEST_START_CHANNEL, countResponse);

/**
 * Response body bytes the client was sent (after compression, without chunk framing; 0 for HEAD). Needs
 * `useResponseCounting`; without it, `Content-Length` when the response set one. An upgraded connection
 * counts what its socket wrote after the head.
 */
export function responseBytes(ctx: HttpContext): number {
  const raw = ctx.rawRes as Counted;
  if (ctx.req.method === 'HEAD') return 0;
  if (ctx.upgrade !== undefined) {
    const socket = ctx.upgrade.socket as Socket;
    const written = (socket.bytesWritten ?? 0) - (raw[SOCKET_START] ?? 0);
    return Math.max(0, written - ctx.protocol.headLength(ctx));
  }
  const counted = raw[BODY] ?? (raw as DownstreamResponse).bodyBytes;
  if (counted !== undefined) return counted;
  const cl = raw.headersSent ? Number(raw.getHeader('content-length')) : Number.NaN;
  return Number.isFinite(cl) ? cl : 0;
}

/** The response headers as sent (parsed from the written head; `writeHead(obj)` leaves `getHeaders()` empty). */
export function sentResponseHeaders(ctx: HttpContext): Record<string, string> {
  return ctx.protocol.sentHeaders(ctx);
}
