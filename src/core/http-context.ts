import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERRORS, type ResponseErrorCode } from './errors.js';

/**
 * The downstream request as every handler sees it, whatever the protocol (docs/design/request-model.md):
 * method, target (`url`, origin form), end-to-end headers with lowercase names (the authority is in
 * `host` for HTTP/1 and HTTP/2 alike; pseudo-headers never appear) and the body as a readable stream.
 * Node's HTTP/1 `IncomingMessage` is one; the HTTP/2 adapter (src/entrypoints/h2-adapter.ts) makes one of
 * an `Http2ServerRequest`.
 */
export type DownstreamRequest = Pick<
  IncomingMessage,
  | 'method'
  | 'url'
  | 'headers'
  | 'rawHeaders'
  | 'httpVersion'
  | 'httpVersionMajor'
  | 'httpVersionMinor'
  | 'socket'
  | 'readableEnded'
  | 'complete'
  | 'on'
  | 'once'
  | 'off'
  | 'pause'
  | 'resume'
  | 'pipe'
  | 'unpipe'
  | 'destroy'
  | typeof Symbol.asyncIterator
>;

/**
 * What a handler may do with the downstream response. A `ServerResponse` is one; a middleware that must
 * see or transform the response (compress, errors, retry…) substitutes `ctx.res` with its own object of
 * this shape for the handlers after it.
 */
export type ResponseWriter = Pick<
  ServerResponse,
  | 'writeHead'
  | 'write'
  | 'end'
  | 'setHeader'
  | 'getHeader'
  | 'getHeaders'
  | 'removeHeader'
  | 'hasHeader'
  | 'flushHeaders'
  | 'headersSent'
  | 'statusCode'
  | 'writableEnded'
  | 'writableNeedDrain'
  | 'destroyed'
  | 'destroy'
  | 'on'
  | 'once'
  | 'off'
> &
  Partial<Pick<ServerResponse, 'addTrailers'>>;

/**
 * The connection-level response (`ctx.rawRes`): a `ResponseWriter` that can also send interim answers.
 * Node's HTTP/1 `ServerResponse` is one; the HTTP/2 adapter wraps an `Http2ServerResponse`.
 */
export type DownstreamResponse = ResponseWriter &
  Pick<ServerResponse, 'writeEarlyHints'> & {
    /**
     * Body bytes sent so far (framing excluded), for a response that counts them itself (the HTTP/1 fast
     * path's); the others are counted by patching `write`/`end` when someone asks (`useResponseCounting`).
     */
    readonly bodyBytes?: number;
  };

/**
 * What differs between the downstream protocols, as one shared object per protocol (no allocation per
 * request). Only the adapters know node's objects; everything else asks here.
 */
export interface DownstreamProtocol {
  /** `HTTP/1.1` or `HTTP/2.0` (the access log's `RequestProtocol` takes the request's own version). */
  readonly name: string;
  /** Whether the client was already told `100 Continue` (node answers it itself in some cases). */
  continueSent(ctx: HttpContext): boolean;
  /** Tells the client `100 Continue` unless it was told already or the response started. */
  writeContinue(ctx: HttpContext): void;
  /** Bytes of the response head written on the connection (an upgraded socket counts its body after it). */
  headLength(ctx: HttpContext): number;
  /** The response headers as sent (or as they stand when nothing was sent yet). */
  sentHeaders(ctx: HttpContext): Record<string, string>;
  /** The connection must not carry another request after this one (HTTP/1 only; HTTP/2 streams are independent). */
  closeAfterResponse(ctx: HttpContext): void;
  /** An upgraded request's socket now speaks another protocol: the response object must never write to it. */
  releaseUpgrade(ctx: HttpContext): void;
  /**
   * Tells the client its upgrade was accepted, when the protocol does it its own way (HTTP/2: a 200 on
   * the extended CONNECT stream, RFC 8441). Absent: the proxy writes HTTP/1's `101` head on the socket.
   */
  acceptUpgrade?(ctx: HttpContext, headers: OutgoingHttpHeaders): void;
}

/**
 * Runs just before a response head is written (by the proxy or by a middleware answering itself), the
 * last-added hook first. It may change the headers in place and returns the status to send.
 */
export type ResponseHeadHook = (ctx: HttpContext, status: number, headers: OutgoingHttpHeaders) => number;

/** What the server answered to one proxied attempt (the access log's `Origin*` fields). */
export interface OriginFacts {
  /** Status written downstream for the server's head (or the proxy's 502/504 when it got no answer). */
  status: number;
  /** Body bytes as the server sent them (before any compress middleware), chunk framing excluded. */
  bytes: number;
  /** performance.now() when the request went to the server, and when its answer was complete (0: not yet). */
  startedAt: number;
  endedAt: number;
}

/**
 * The per-request state every handler receives. One object per request, created by the entrypoint;
 * fields that routing needs are computed once there.
 */
export interface HttpContext {
  readonly req: DownstreamRequest;
  /** The downstream response; see `ResponseWriter`. */
  res: ResponseWriter;
  /** The connection-level response, for `close` (client went away) and interim answers. */
  readonly rawRes: DownstreamResponse;
  /** The downstream protocol's adapter (HTTP/1.1 or HTTP/2). */
  readonly protocol: DownstreamProtocol;
  readonly entryPoint: string;
  /** `https` when the downstream connection is TLS. */
  readonly scheme: 'http' | 'https';
  /** Remote address of the TCP peer (never taken from headers). */
  readonly clientIp: string;
  readonly clientPort: number;
  /** Request host: lowercased, port and trailing dot removed. */
  readonly host: string;
  /** Path used for routing: non-reserved percent-escapes decoded, no query. */
  path: string;
  /** Query string without the leading `?` ('' if none). */
  readonly rawQuery: string;
  /** performance.now() when the request arrived. */
  readonly startedAt: number;
  routerName: string | undefined;
  serviceName: string | undefined;
  /** URL of the server that handled the request, once the balancer picked one. */
  serverUrl: string | undefined;
  retryAttempts: number;
  /**
   * What the server answered to the last forwarded attempt, recorded by the proxy itself; undefined
   * unless someone asked for it (see `useOriginFacts`) and the request was proxied.
   */
  origin: OriginFacts | undefined;
  /** Response-head hooks; undefined until a middleware adds one (keeps the common path allocation-free). */
  headHooks: ResponseHeadHook[] | undefined;
  /**
   * Set for an `Upgrade` request (WebSocket…): the raw client socket and the bytes read past the head.
   * Middlewares run as usual (ctx.res is bound to the socket, so they can still answer with an error);
   * the proxy then pipes the upgraded connection instead of writing ctx.res.
   */
  upgrade: { socket: Duplex; head: Buffer } | undefined;
  /** Status recorded when nothing could be written (499: the client left first). */
  abortedStatus: number | undefined;
  /**
   * What the proxy does with `X-Forwarded-For`: `append` the client address (default), send it `as-is`
   * (entrypoint `notAppendXForwardedFor`), or send `none` (headers middleware `X-Forwarded-For: ""`).
   */
  forwardedFor: 'append' | 'as-is' | 'none';
  /**
   * Set by the proxy just before it answers 502/504 for an exchange whose response never started (the
   * retry, circuitBreaker and buffering middlewares read it). `code` is the socket error code if any.
   */
  upstreamError?: { status: number; reason: string; code: string | undefined } | undefined;
  /**
   * The request body, already read by a middleware (retry, buffering): the proxy sends these bytes
   * instead of reading `req`, so the request can be sent again.
   */
  replayBody?: Buffer | undefined;
  /**
   * `http`/`https` when the request target was in absolute form with that scheme (`GET https://h/x`):
   * Traefik's redirect middlewares take the scheme from such a target, as from the connection.
   */
  targetScheme?: 'http' | 'https' | undefined;
  /** The authenticated user (basicAuth, digestAuth…), for the access log's `ClientUsername`. */
  clientUsername?: string | undefined;
}

export type HttpHandler = (ctx: HttpContext) => void;

/** Adds a response-head hook to a request. */
export function addHeadHook(ctx: HttpContext, hook: ResponseHeadHook): void {
  if (ctx.headHooks) ctx.headHooks.push(hook);
  else ctx.headHooks = [hook];
}

/**
 * Runs the head hooks (if any) and returns the final status. The hook added last (by the innermost
 * middleware) runs first, so an outer middleware has the last word, as with Traefik's wrapped writers.
 */
export function runHeadHooks(ctx: HttpContext, status: number, headers: OutgoingHttpHeaders): number {
  const hooks = ctx.headHooks;
  if (!hooks) return status;
  for (let i = hooks.length - 1; i >= 0; i--) status = hooks[i]!(ctx, status, headers);
  return status;
}

/**
 * Answers the request with the status and body of a catalogue error (`NOT_FOUND`, `NO_SERVER`…).
 *
 * @example sendError(ctx, 'NO_SERVER') // 503 "no available server"
 */
export function sendError(ctx: HttpContext, code: ResponseErrorCode): void {
  const entry = ERRORS[code];
  sendText(ctx, entry.status, entry.body);
}

/**
 * Answers the request with a small body (an error page, a redirect…), honouring head hooks.
 *
 * @example sendText(ctx, 404, '404 page not found\n')
 */
export function sendText(
  ctx: HttpContext,
  status: number,
  body: string,
  headers: OutgoingHttpHeaders = {},
): void {
  const res = ctx.res;
  if (res.headersSent || res.destroyed) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  if (headers['content-type'] === undefined) headers['content-type'] = 'text/plain; charset=utf-8';
  headers['x-content-type-options'] ??= 'nosniff';
  const buf = Buffer.from(body);
  headers['content-length'] = buf.length;
  status = runHeadHooks(ctx, status, headers);
  res.writeHead(status, headers);
  res.end(ctx.req.method === 'HEAD' ? undefined : buf);
}

/**
 * True when the request body stopped before its framing was complete: the client closed or reset in
 * the middle of a Content-Length body, before a chunked body's last chunk, or before an HTTP/2 stream's
 * END_STREAM. Such a body is an abort, never a shorter whole body (issue #12).
 */
export function bodyCut(req: DownstreamRequest): boolean {
  return req.complete === false;
}
