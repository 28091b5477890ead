import { performance } from 'node:perf_hooks';
import { ERRORS } from '../core/errors.js';
import { type HttpContext, sendError } from '../core/http-context.js';
import { rootLogger } from '../core/logger.js';
import type { UpstreamTarget } from './target.js';

/** The proxy's logger (upstream failures are DEBUG, TLS trust problems ERROR, as Traefik). */
export const proxyLogger = rootLogger.child({ component: 'proxy' });

/** Upstream failure statuses and the catalogue entries that answer them. */
export const BAD_GATEWAY = ERRORS.UPSTREAM_FAILED.status;
export const GATEWAY_TIMEOUT = ERRORS.UPSTREAM_TIMEOUT.status;

/** TLS errors that mean the transport is misconfigured (untrusted CA, wrong name) rather than a bad peer. */
const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/**
 * Answers a failed exchange whose response has not started: 502 `Bad Gateway` or 504 `Gateway Timeout`,
 * as Traefik's proxy error handler (body = status text). A client that is already gone gets nothing and
 * the request is recorded as 499.
 */
export function replyError(
  ctx: HttpContext,
  status: number,
  reason: string,
  target: UpstreamTarget,
  err?: Error,
): void {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  ctx.upstreamError = { status, reason, code };
  const trust = code !== undefined && TLS_TRUST_CODES.has(code);
  if (trust || proxyLogger.enabled('DEBUG')) {
    proxyLogger.log(trust ? 'ERROR' : 'DEBUG', 'upstream request failed', {
      server: target.url,
      status,
      error: reason,
    });
  }
  if (ctx.rawRes.destroyed || ctx.res.destroyed) {
    if (!ctx.rawRes.headersSent) ctx.abortedStatus = ERRORS.CLIENT_CLOSED.status;
    return;
  }
  const error =
    status === GATEWAY_TIMEOUT ? 'UPSTREAM_TIMEOUT' : status === BAD_GATEWAY ? 'UPSTREAM_FAILED' : 'INTERNAL';
  const origin = ctx.origin;
  if (origin !== undefined && !ctx.res.headersSent) {
    // The proxy's own answer stands for the server's (as Traefik's access log records it).
    origin.status = ERRORS[error].status;
    origin.bytes = ctx.req.method === 'HEAD' ? 0 : Buffer.byteLength(ERRORS[error].body);
    origin.endedAt = performance.now();
  }
  sendError(ctx, error);
  // An upgrade request is answered over its raw socket, which nothing else will close.
  ctx.upgrade?.socket.end();
}

/** How long bytes already queued for a client may take to leave before a cut connection is destroyed. */
const FLUSH_BEFORE_CUT_MS = 5000;

/**
 * The response already started: the only honest signal left is to cut the downstream connection. On
 * HTTP/1, bytes still queued on the socket (Node corks the head with the first body bytes) are sent
 * first, so the client sees the response begin and then end early — a truncation — rather than nothing.
 */
export function abandon(ctx: HttpContext, reason: string, target: UpstreamTarget): void {
  if (proxyLogger.enabled('DEBUG')) {
    proxyLogger.debug('upstream response cut short', { server: target.url, error: reason });
  }
  const socket = ctx.req.socket;
  if (ctx.upgrade === undefined && ctx.req.httpVersionMajor === 1 && socket.writableLength > 0) {
    socket.end();
    setTimeout(() => socket.destroy(), FLUSH_BEFORE_CUT_MS).unref();
    return;
  }
  ctx.res.destroy();
  ctx.upgrade?.socket.destroy();
}
