import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import http2, { type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { Socket } from 'node:net';
import type {
  DownstreamProtocol,
  DownstreamRequest,
  DownstreamResponse,
  HttpContext,
} from '../core/http-context.js';

const { NGHTTP2_INTERNAL_ERROR, NGHTTP2_NO_ERROR } = http2.constants;

/**
 * The HTTP/2 adapter (docs/design/request-model.md): node's compatibility objects made into the request
 * model. The request gets its own `headers` (no pseudo-headers, `:authority` as `host`, a body of unknown
 * length marked chunked) and the connection's real socket; the response is wrapped so that the
 * connection-specific headers HTTP/2 forbids are dropped instead of throwing.
 */

/** Headers that are connection-specific in HTTP/1 and forbidden in HTTP/2 (RFC 9113 §8.2.2). */
const CONNECTION_SPECIFIC = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

function allowed(name: string, value: unknown): boolean {
  const lower = name.toLowerCase();
  if (CONNECTION_SPECIFIC.has(lower)) return false;
  return lower !== 'te' || String(value).toLowerCase() === 'trailers';
}

/** `headers` without the names HTTP/2 forbids, as a new object only when one is present. */
function filtered(headers: OutgoingHttpHeaders | readonly unknown[] | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  if (headers === undefined) return out;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const name = String(headers[i]);
      if (allowed(name, headers[i + 1])) out[name.toLowerCase()] = headers[i + 1] as string;
    }
    return out;
  }
  for (const name in headers as OutgoingHttpHeaders) {
    const value = (headers as OutgoingHttpHeaders)[name];
    if (value !== undefined && allowed(name, value)) out[name] = value;
  }
  return out;
}

/**
 * Makes an `Http2ServerRequest` a `DownstreamRequest`; `socket` is the connection's real socket. A
 * WebSocket opened by extended CONNECT (RFC 8441) is presented as HTTP/1.1 opens one — `GET` with
 * `Upgrade: websocket` and a fresh `Sec-WebSocket-Key` — so rules, middlewares and the proxy's WebSocket
 * path treat both alike.
 */
export function adaptH2Request(
  req: Http2ServerRequest,
  socket: Socket,
  webSocket = false,
): DownstreamRequest {
  const raw = req.headers;
  const headers: IncomingHttpHeaders = {};
  for (const name in raw) {
    if (name.charCodeAt(0) !== 58 /* : */) headers[name] = raw[name] as string;
  }
  const authority = raw[':authority'] ?? raw.host;
  if (authority !== undefined) headers.host = authority;
  if (webSocket) {
    headers.connection = 'Upgrade';
    headers.upgrade = 'websocket';
    headers['sec-websocket-key'] = randomBytes(16).toString('base64');
    Object.defineProperty(req, 'method', { value: 'GET', writable: true, configurable: true });
  } else if (headers['content-length'] === undefined && !req.stream.endAfterHeaders) {
    // A body without content-length: present it as Go does (length unknown), so the proxy streams it.
    headers['transfer-encoding'] = 'chunked';
  }
  Object.defineProperty(req, 'headers', { value: headers, writable: true, configurable: true });
  Object.defineProperty(req, 'socket', { value: socket, configurable: true });
  // node ends the request of a stream the client reset as if its body had arrived: only a stream whose
  // END_STREAM came before any reset carries a whole body (`complete`, as HTTP/1's parser says it).
  const stream = req.stream;
  let whole = stream.endAfterHeaders;
  if (!whole) {
    stream.once('end', () => {
      whole = !stream.aborted && (!stream.closed || stream.rstCode === NGHTTP2_NO_ERROR);
    });
  }
  Object.defineProperty(req, 'complete', { get: () => whole, configurable: true });
  return req as unknown as DownstreamRequest;
}

type Listener = (...args: unknown[]) => void;

/** The `ResponseWriter` (and `ctx.rawRes`) of an HTTP/2 request. */
export class H2ResponseWriter {
  continueSent = false;
  private hasTrailers = false;
  /**
   * A head given to `writeHead`, sent with the first body bytes or the end — as node's HTTP/1 response
   * does — so that a head followed by `end()` goes out as one HEADERS frame with END_STREAM.
   */
  private pendingHead: { status: number; headers: OutgoingHttpHeaders } | undefined;

  constructor(readonly res: Http2ServerResponse) {}

  asResponse(): DownstreamResponse {
    return this as unknown as DownstreamResponse;
  }

  get statusCode(): number {
    return this.res.statusCode;
  }
  set statusCode(code: number) {
    this.res.statusCode = code;
  }
  get headersSent(): boolean {
    return this.pendingHead !== undefined || this.res.headersSent;
  }
  get writableEnded(): boolean {
    return this.res.writableEnded;
  }
  get writableNeedDrain(): boolean {
    return this.res.stream.writableNeedDrain;
  }
  get destroyed(): boolean {
    return this.res.stream.destroyed;
  }

  writeHead(status: number, a?: unknown, b?: unknown): this {
    const headers = (typeof a === 'string' ? b : a) as OutgoingHttpHeaders | undefined;
    if (this.headersSent) return this;
    this.res.statusCode = status; // validates the status now, as writeHead would
    this.pendingHead = { status, headers: filtered(headers) };
    return this;
  }

  private sendHead(ending: boolean): void {
    const head = this.pendingHead;
    if (head === undefined) return;
    this.pendingHead = undefined;
    if (!ending) {
      this.res.writeHead(head.status, head.headers);
      return;
    }
    // Left for `end()` to send, with END_STREAM.
    for (const name in head.headers) this.res.setHeader(name, head.headers[name] as string);
  }
  setHeader(name: string, value: number | string | readonly string[]): this {
    if (allowed(name, value)) this.res.setHeader(name, value);
    return this;
  }
  getHeader(name: string) {
    return this.pendingHead?.headers[name.toLowerCase()] ?? this.res.getHeader(name);
  }
  getHeaders(): OutgoingHttpHeaders {
    const sent = this.res.getHeaders();
    return this.pendingHead ? { ...sent, ...this.pendingHead.headers } : sent;
  }
  removeHeader(name: string): void {
    this.res.removeHeader(name);
  }
  hasHeader(name: string): boolean {
    return this.res.hasHeader(name);
  }
  flushHeaders(): void {
    this.sendHead(false);
    (this.res as unknown as { flushHeaders(): void }).flushHeaders();
  }
  addTrailers(headers: OutgoingHttpHeaders): void {
    this.hasTrailers = true;
    this.res.addTrailers(filtered(headers));
  }
  write(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    this.sendHead(false);
    return (this.res.write as (...args: unknown[]) => boolean)(chunk, encoding, cb);
  }
  end(chunk?: unknown, encoding?: unknown, cb?: unknown): this {
    const empty = chunk === undefined || chunk === null || typeof chunk === 'function';
    this.sendHead(empty && !this.hasTrailers);
    (this.res.end as (...args: unknown[]) => unknown)(chunk, encoding, cb);
    return this;
  }
  /** Cuts the exchange: RST_STREAM (INTERNAL_ERROR), the connection and its other streams go on. */
  destroy(): this {
    const stream = this.res.stream;
    if (!stream.destroyed) stream.close(NGHTTP2_INTERNAL_ERROR);
    return this;
  }
  writeContinue(): void {
    if (this.continueSent || this.res.headersSent) return;
    this.continueSent = true;
    this.res.writeContinue();
  }
  writeEarlyHints(hints: Record<string, string | string[]>): void {
    this.res.writeEarlyHints(hints);
  }
  on(event: string, fn: Listener): this {
    this.res.on(event, fn);
    return this;
  }
  once(event: string, fn: Listener): this {
    this.res.once(event, fn);
    return this;
  }
  off(event: string, fn: Listener): this {
    this.res.off(event, fn);
    return this;
  }
}

function writer(ctx: HttpContext): H2ResponseWriter | undefined {
  const raw = ctx.rawRes as unknown;
  return raw instanceof H2ResponseWriter ? raw : undefined;
}

export const HTTP2: DownstreamProtocol = {
  name: 'HTTP/2.0',
  continueSent(ctx) {
    return writer(ctx)?.continueSent ?? false;
  },
  writeContinue(ctx) {
    writer(ctx)?.writeContinue();
  },
  headLength() {
    return 0;
  },
  sentHeaders(ctx) {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(ctx.rawRes.getHeaders()))
      if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
    return out;
  },
  closeAfterResponse() {
    // Streams are independent: the connection goes on serving the others.
  },
  releaseUpgrade() {
    // The extended CONNECT stream is the tunnel: nothing to detach.
  },
  acceptUpgrade(ctx, headers) {
    // RFC 8441: the server's 101 becomes a 200 on the CONNECT stream, without the HTTP/1 handshake fields.
    const out: OutgoingHttpHeaders = {};
    for (const name in headers) {
      if (name.toLowerCase() !== 'sec-websocket-accept') out[name] = headers[name];
    }
    const w = writer(ctx);
    w?.writeHead(200, out);
    w?.flushHeaders();
  },
};
