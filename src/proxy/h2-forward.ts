import type { OutgoingHttpHeaders } from 'node:http';
import http2, { type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import { ERRORS } from '../core/errors.js';
import { bodyCut, type HttpContext, runHeadHooks } from '../core/http-context.js';
import { abandon, BAD_GATEWAY, GATEWAY_TIMEOUT, replyError } from './exchange-end.js';
import type { H2Origin } from './h2-origin.js';
import { buildH2Headers, requestHasBody } from './h2-request-head.js';
import type { ForwardOptions, UpstreamTarget } from './target.js';

const { NGHTTP2_CANCEL } = http2.constants;

/** Response headers that never travel back (pseudo-headers are skipped by their `:`). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/**
 * Forwards `ctx` over the origin's HTTP/2 session (dialling one if needed). When the origin turned out
 * to speak only HTTP/1.1 (ALPN), the request goes to the target's HTTP/1.1 pool instead.
 */
export function forwardH2(
  ctx: HttpContext,
  target: UpstreamTarget,
  origin: H2Origin,
  opts: ForwardOptions,
): void {
  origin.get((error, session) => {
    if (ctx.rawRes.destroyed) {
      if (!ctx.rawRes.headersSent) ctx.abortedStatus = ERRORS.CLIENT_CLOSED.status;
      return;
    }
    if (error !== undefined) {
      opts.onResult?.(target, false);
      replyError(ctx, error.status, error.reason, target, error.err);
    } else if (session === undefined) {
      target.pool.acquire().start(ctx, target, opts, false, false);
    } else {
      exchange(ctx, target, opts, session, origin.options.scheme === 'https' ? 'https' : 'http', origin);
    }
  });
}

/** One request/response on a stream of `session`, streamed both ways with backpressure. */
function exchange(
  ctx: HttpContext,
  target: UpstreamTarget,
  opts: ForwardOptions,
  session: ClientHttp2Session,
  scheme: 'http' | 'https',
  origin: H2Origin,
): void {
  const req = ctx.req;
  const hasBody = requestHasBody(ctx);
  const started = opts.onResult !== undefined ? performance.now() : 0;
  let ttfb = 0;
  let stream: ClientHttp2Stream;
  // With a body, cancelling goes through the signal: node then resets the stream at once, where
  // `close(CANCEL)` would first end it, handing the server a truncated body as a whole one.
  const cancel = hasBody ? new AbortController() : undefined;
  try {
    stream = session.request(buildH2Headers(ctx, target, scheme), {
      endStream: !hasBody,
      signal: cancel?.signal,
    });
  } catch (err) {
    opts.onResult?.(target, false);
    replyError(ctx, BAD_GATEWAY, `HTTP/2 request failed: ${(err as Error).message}`, target, err as Error);
    return;
  }
  let headSent = false;
  let done = false;
  let piped = false;
  let timer: NodeJS.Timeout | undefined;

  const finish = (): void => {
    done = true;
    if (timer !== undefined) clearTimeout(timer);
    ctx.rawRes.off('close', onClientClose);
    ctx.res.off('drain', onDrain);
    if (piped) {
      req.unpipe(stream);
      req.off('end', onReqEnd);
      if (!req.readableEnded) req.resume();
    }
  };
  const cancelStream = (): void => {
    if (cancel !== undefined && !stream.writableFinished) cancel.abort();
    else stream.close(NGHTTP2_CANCEL);
  };
  const fail = (status: number, reason: string, err?: Error): void => {
    if (done) return;
    finish();
    if (!stream.destroyed) cancelStream();
    opts.onResult?.(target, false);
    if (headSent) abandon(ctx, reason, target);
    else replyError(ctx, status, reason, target, err);
  };
  const onClientClose = (): void => {
    if (done) return;
    finish();
    if (!ctx.rawRes.headersSent) ctx.abortedStatus = ERRORS.CLIENT_CLOSED.status;
    if (!stream.destroyed) cancelStream();
    opts.onResult?.(target, true);
  };
  // The body is piped without its end: a body that ends before its framing is complete (the client
  // reset or closed mid-body) resets the upstream stream instead of ending it as a whole request.
  const onReqEnd = (): void => {
    if (done) return;
    if (bodyCut(req)) onClientClose();
    else stream.end();
  };
  const onDrain = (): void => {
    stream.resume();
  };
  const armHeaderTimeout = (): void => {
    const ms = origin.options.responseHeaderTimeoutMs;
    if (ms > 0 && !headSent && !done)
      timer = setTimeout(() => fail(GATEWAY_TIMEOUT, 'response header timeout'), ms);
  };

  ctx.rawRes.on('close', onClientClose);
  stream.on('headers', (headers) => {
    const link = headers.link;
    if (headers[':status'] === 103 && link !== undefined && !ctx.rawRes.headersSent) {
      try {
        ctx.rawRes.writeEarlyHints({ link: link as string | string[] });
      } catch {
        // Early hints are advisory.
      }
    }
  });
  stream.on('response', (headers) => {
    if (done) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (opts.onResult !== undefined) ttfb = performance.now() - started;
    const out: OutgoingHttpHeaders = {};
    for (const name in headers) {
      if (name.charCodeAt(0) === 58 /* : */ || HOP_BY_HOP.has(name)) continue;
      out[name] = headers[name];
    }
    try {
      const status = runHeadHooks(ctx, Number(headers[':status']), out);
      ctx.res.writeHead(status, out);
      if (ctx.origin !== undefined) ctx.origin.status = status;
    } catch (err) {
      fail(BAD_GATEWAY, `response head rejected: ${(err as Error).message}`);
      return;
    }
    headSent = true;
    if (stream.endAfterHeaders) {
      // Nothing follows the head (gRPC's trailers-only answer, a 204): end at once, so that an HTTP/2
      // client gets the head with END_STREAM too.
      finish();
      if (ctx.origin !== undefined) ctx.origin.endedAt = performance.now();
      ctx.res.end();
      opts.onResult?.(target, true, ttfb);
      return;
    }
    ctx.res.on('drain', onDrain);
  });
  stream.on('trailers', (trailers) => {
    // gRPC's status travels here: pass the end-to-end ones on (HTTP/2 clients get them as trailers).
    if (done || !headSent || ctx.res.addTrailers === undefined) return;
    const out: OutgoingHttpHeaders = {};
    for (const name in trailers) {
      if (name.charCodeAt(0) !== 58 /* : */ && !HOP_BY_HOP.has(name)) out[name] = trailers[name];
    }
    ctx.res.addTrailers(out);
  });
  stream.on('data', (chunk: Buffer) => {
    if (done || !headSent) return;
    if (ctx.origin !== undefined) ctx.origin.bytes += chunk.length;
    if (!ctx.res.write(chunk)) stream.pause();
  });
  stream.on('end', () => {
    if (done) return;
    if (!headSent) {
      fail(BAD_GATEWAY, 'stream ended without a response');
      return;
    }
    finish();
    if (ctx.origin !== undefined) ctx.origin.endedAt = performance.now();
    ctx.res.end();
    opts.onResult?.(target, true, ttfb);
  });
  stream.on('error', (err: NodeJS.ErrnoException) =>
    fail(BAD_GATEWAY, `${err.code ?? 'error'}: ${err.message}`, err),
  );
  stream.on('close', () => fail(BAD_GATEWAY, `stream closed (code ${stream.rstCode ?? 0})`));

  if (!hasBody) {
    armHeaderTimeout();
    return;
  }
  stream.on('finish', armHeaderTimeout);
  const replay = ctx.replayBody;
  if (replay !== undefined) {
    stream.end(replay);
  } else if (req.readableEnded) {
    stream.end();
  } else {
    // The client may be waiting for 100 Continue (not forwarded over HTTP/2): tell it to go on.
    if (/^100-continue$/i.test(String(req.headers.expect ?? ''))) ctx.protocol.writeContinue(ctx);
    piped = true;
    req.on('end', onReqEnd);
    req.pipe(stream, { end: false });
  }
}
