import type { OutgoingHttpHeaders } from 'node:http';
import type { ResponseWriter } from '../core/http-context.js';

type Callback = (err?: Error | null) => void;
type Listener = (...args: unknown[]) => void;

/** Lower-cases the names of a header object (or a flat `[name, value, …]` list) into a new object. */
export function normalizeHeaders(headers: unknown): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = headers[i + 1];
  } else if (headers && typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) out[name.toLowerCase()] = value as OutgoingHttpHeaders[string];
    }
  }
  return out;
}

function toBuffer(chunk: unknown, encoding?: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
}

/**
 * A `ResponseWriter` that a middleware puts in `ctx.res` to see (and possibly transform) the response the
 * handlers after it write. By default everything passes through to `inner`; subclasses override
 * `onHead`, `onData` and `onEnd`. Headers set with `setHeader` before the head are merged into it.
 */
export class ResponseWrapper {
  statusCode = 200;
  headersSent = false;
  writableEnded = false;
  protected pending: OutgoingHttpHeaders = {};

  constructor(protected readonly inner: ResponseWriter) {}

  /** This object typed as what `ctx.res` holds. */
  asWriter(): ResponseWriter {
    return this as unknown as ResponseWriter;
  }

  get destroyed(): boolean {
    return this.inner.destroyed;
  }

  get writableNeedDrain(): boolean {
    return this.inner.writableNeedDrain;
  }

  setHeader(name: string, value: OutgoingHttpHeaders[string]): this {
    this.pending[name.toLowerCase()] = value;
    return this;
  }
  getHeader(name: string): OutgoingHttpHeaders[string] {
    return this.pending[name.toLowerCase()];
  }
  getHeaders(): OutgoingHttpHeaders {
    return { ...this.pending };
  }
  hasHeader(name: string): boolean {
    return this.pending[name.toLowerCase()] !== undefined;
  }
  removeHeader(name: string): void {
    delete this.pending[name.toLowerCase()];
  }
  flushHeaders(): void {
    if (!this.headersSent) this.writeHead(this.statusCode);
  }

  writeHead(status: number, a?: unknown, b?: unknown): this {
    if (this.headersSent) return this;
    const headers = { ...this.pending, ...normalizeHeaders(typeof a === 'string' ? b : a) };
    this.headersSent = true;
    this.statusCode = status;
    this.onHead(status, headers);
    return this;
  }

  write(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    if (!this.headersSent) this.writeHead(this.statusCode);
    const done = (typeof encoding === 'function' ? encoding : cb) as Callback | undefined;
    const ok = this.onData(toBuffer(chunk, encoding));
    if (done) process.nextTick(done);
    return ok;
  }

  end(chunk?: unknown, encoding?: unknown, cb?: unknown): this {
    if (this.writableEnded) return this;
    let done = cb as Callback | undefined;
    if (typeof chunk === 'function') {
      done = chunk as Callback;
      chunk = undefined;
    } else if (typeof encoding === 'function') done = encoding as Callback;
    if (!this.headersSent) this.writeHead(this.statusCode);
    if (chunk !== undefined && chunk !== null) {
      const buf = toBuffer(chunk, encoding);
      if (buf.length > 0) this.onData(buf);
    }
    this.writableEnded = true;
    this.onEnd();
    if (done) process.nextTick(done);
    return this;
  }

  destroy(err?: Error): this {
    this.inner.destroy(err);
    return this;
  }

  on(event: string, fn: Listener): this {
    this.emitterFor(event).on(event, fn);
    return this;
  }
  once(event: string, fn: Listener): this {
    this.emitterFor(event).once(event, fn);
    return this;
  }
  off(event: string, fn: Listener): this {
    this.emitterFor(event).off(event, fn);
    return this;
  }

  /** Where listeners for `event` go (a transforming subclass sends `drain` to its own stream). */
  protected emitterFor(_event: string): Pick<ResponseWriter, 'on' | 'once' | 'off'> {
    return this.inner;
  }

  protected onHead(status: number, headers: OutgoingHttpHeaders): void {
    this.inner.writeHead(status, headers);
  }
  protected onData(chunk: Buffer): boolean {
    return this.inner.write(chunk);
  }
  protected onEnd(): void {
    this.inner.end();
  }
}
