import type { OutgoingHttpHeaders } from 'node:http';
import type { ResponseWriter } from '../../core/http-context.js';
import { addVary } from '../headers/cors.js';
import { normalizeHeaders, ResponseWrapper } from '../response-wrapper.js';
import { encodePiece } from './base64.js';

const GRPC = 'application/grpc';
/** The first byte of a gRPC-Web trailer frame (MSB set: trailers, not a message). */
const TRAILER_FLAG = 0x80;

/** `grpc-status` → `Grpc-Status`, as Go spells header names in `Access-Control-Expose-Headers`. */
export function goHeaderName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/** The trailer block of a gRPC-Web body: `name: value\r\n` lines, names lower-case and sorted. */
export function trailerFrame(trailers: OutgoingHttpHeaders, skip: ReadonlySet<string>): Buffer | undefined {
  let block = '';
  for (const name of Object.keys(trailers).sort()) {
    const value = trailers[name];
    if (value === undefined || skip.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value])
      block += `${name}: ${String(v)
        .replace(/[\r\n]/g, ' ')
        .trim()}\r\n`;
  }
  if (block === '') return undefined;
  const body = Buffer.from(block, 'latin1');
  const frame = Buffer.allocUnsafe(5 + body.length);
  frame[0] = TRAILER_FLAG;
  frame.writeUInt32BE(body.length, 1);
  body.copy(frame, 5);
  return frame;
}

/**
 * The response side of a gRPC-Web call: the gRPC answer the handlers after `grpcWeb` write is sent as
 * gRPC-Web — `application/grpc…` becomes `application/grpc-web…` (or `-web-text…`, base64 bodies), the
 * CORS headers are added with every response header exposed, and the HTTP/2 trailers (`grpc-status`,
 * `grpc-message`, metadata) become the trailer frame at the end of the body.
 */
export class GrpcWebResponse extends ResponseWrapper {
  private readonly trailers: OutgoingHttpHeaders = {};
  private readonly headNames = new Set<string>();
  /** Set once the middleware answered by itself (bad request body): what comes later is dropped. */
  private answered = false;

  constructor(
    inner: ResponseWriter,
    private readonly text: boolean,
    private readonly cors: OutgoingHttpHeaders,
  ) {
    super(inner);
  }

  /** Collects the trailers the proxy received; they are written into the body at the end. */
  addTrailers(headers: unknown): void {
    Object.assign(this.trailers, normalizeHeaders(headers));
  }

  /**
   * Answers the client directly (status, plain-text message) unless a response already started, in
   * which case the exchange is cut. Later writes by the handlers after `grpcWeb` are dropped.
   */
  answer(status: number, message: string): void {
    if (this.answered) return;
    this.answered = true;
    const inner = this.inner;
    if (inner.headersSent || inner.destroyed) {
      if (!inner.writableEnded) inner.destroy();
      return;
    }
    const body = Buffer.from(message);
    inner.writeHead(status, {
      ...this.cors,
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'content-length': body.length,
    });
    inner.end(body);
  }

  override destroy(err?: Error): this {
    if (!this.answered) this.inner.destroy(err);
    return this;
  }

  protected override onHead(status: number, headers: OutgoingHttpHeaders): void {
    if (this.answered) return;
    const type = headers['content-type'];
    if (typeof type === 'string' && type.startsWith(GRPC))
      headers['content-type'] =
        (this.text ? 'application/grpc-web-text' : 'application/grpc-web') + type.slice(GRPC.length);
    // The trailer frame makes the body longer than the server's; trailers are no longer announced.
    delete headers['content-length'];
    delete headers.trailer;
    for (const name in this.cors) {
      if (name === 'vary') addVary(headers, String(this.cors.vary));
      else headers[name] = this.cors[name];
    }
    const names: string[] = [];
    for (const name in headers) {
      this.headNames.add(name);
      names.push(goHeaderName(name));
    }
    headers['access-control-expose-headers'] = [...names, 'grpc-status', 'grpc-message'].join(', ');
    this.inner.writeHead(status, headers);
  }

  protected override onData(chunk: Buffer): boolean {
    if (this.answered) return true;
    return this.inner.write(this.text ? encodePiece(chunk) : chunk);
  }

  protected override onEnd(): void {
    if (this.answered) return;
    const frame = trailerFrame(this.trailers, this.headNames);
    if (frame === undefined) this.inner.end();
    else this.inner.end(this.text ? encodePiece(frame) : frame);
  }
}
