import { EventEmitter } from 'node:events';
import { type OutgoingHttpHeader, type OutgoingHttpHeaders, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { SwitchyardError } from '../../core/errors.js';
import type { DownstreamResponse } from '../../core/http-context.js';
import {
  checkName,
  checkValue,
  earlyHintsHead,
  HeadState,
  headersSentError,
  httpDate,
  trailerLines,
} from './head.js';

/** What a response needs from its connection. */
export interface ResponseHost {
  readonly socket: Socket;
  /** `Keep-Alive: timeout=N` on keep-alive answers (node's server says it; 0 = not sent). */
  readonly keepAliveSeconds: number;
  /** The response was written out (`finish`, then `close`, were emitted). */
  responseDone(res: FastResponse): void;
}

type Value = OutgoingHttpHeader;
type Callback = (err?: Error | null) => void;

const NO_BYTES = Buffer.alloc(0);

function byteLength(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string')
    return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return (chunk as Uint8Array).byteLength;
}

function uncorkSoon(res: FastResponse): void {
  res.uncork();
}

/**
 * The response of a request on the HTTP/1 fast path: the `DownstreamResponse` shape, written straight on
 * the socket with node's `ServerResponse` framing rules (docs/design/http1-fast-path.md): `Content-Length`
 * from a single `end(chunk)`, chunked when the length is unknown on HTTP/1.1 (or a `TE: chunked` 1.0
 * client), close-delimited otherwise, no body for HEAD, 1xx, 204 and 304, `Date`, `Connection` and
 * `Keep-Alive` added as node adds them. Head and the first body bytes leave in one `writev` (the socket is
 * corked from the first write until `end` or the next tick).
 */
export class FastResponse extends EventEmitter {
  statusCode = 200;
  statusMessage: string | undefined;
  /** False once this exchange must be the connection's last one. */
  keepAlive: boolean;
  /** The connection closes after this response (decided when its head was built). */
  last = false;
  /** The head as built (`headersSent` from then on). */
  head: string | undefined;
  writableEnded = false;
  writableFinished = false;
  destroyed = false;
  /** Body bytes sent so far, framing excluded (the access log and metrics read it; no patching needed). */
  bodyBytes = 0;
  private headFlushed = false;
  private hasBody: boolean;
  private chunked = false;
  private corked = false;
  private waitingDrain = false;
  private closed = false;
  /** Headers from `setHeader`: lowercase name → [name as given, value]. */
  private fields: Record<string, [string, Value]> | undefined;
  /** Headers given to `writeHead` when `setHeader` was never called (used as they are, as node does). */
  private given: OutgoingHttpHeaders | readonly unknown[] | undefined;
  private trailer: string | undefined;
  private readonly onDrain = () => {
    this.waitingDrain = false;
    this.emit('drain');
  };

  constructor(
    private readonly host: ResponseHost,
    method: string,
    keepAlive: boolean,
    /** HTTP/1.1 (or a 1.0 client that accepts chunked): an unknown length is sent chunked. */
    private readonly chunkedByDefault: boolean,
  ) {
    super();
    this.keepAlive = keepAlive;
    this.hasBody = method !== 'HEAD';
  }

  asResponse(): DownstreamResponse {
    return this as unknown as DownstreamResponse;
  }

  get socket(): Socket {
    return this.host.socket;
  }
  get headersSent(): boolean {
    return this.head !== undefined;
  }
  get writableNeedDrain(): boolean {
    return this.host.socket.writableNeedDrain;
  }

  setHeader(name: string, value: number | string | readonly string[]): this {
    if (this.head !== undefined) throw headersSentError('set');
    checkName(name);
    checkValue(name, value);
    const fields = this.ownFields();
    fields[name.toLowerCase()] = [name, value as Value];
    return this;
  }
  getHeader(name: string): Value | undefined {
    const lower = name.toLowerCase();
    if (this.fields !== undefined) return this.fields[lower]?.[1];
    const given = this.given;
    if (given === undefined || Array.isArray(given)) return undefined;
    for (const key in given) if (key.toLowerCase() === lower) return (given as OutgoingHttpHeaders)[key];
    return undefined;
  }
  getHeaders(): OutgoingHttpHeaders {
    const out: OutgoingHttpHeaders = Object.create(null);
    if (this.fields !== undefined) for (const key in this.fields) out[key] = this.fields[key]![1];
    return out;
  }
  hasHeader(name: string): boolean {
    return this.getHeader(name) !== undefined;
  }
  removeHeader(name: string): void {
    if (this.head !== undefined) throw headersSentError('remove');
    if (this.fields !== undefined) delete this.fields[name.toLowerCase()];
  }

  /** Headers set with `setHeader`, made on first use (and seeded from an earlier `writeHead` object). */
  private ownFields(): Record<string, [string, Value]> {
    if (this.fields === undefined) this.fields = Object.create(null) as Record<string, [string, Value]>;
    return this.fields;
  }

  writeHead(status: number, reason?: unknown, headers?: unknown): this {
    if (this.head !== undefined) throw headersSentError('write');
    let given = headers;
    if (typeof reason === 'string') this.statusMessage = reason;
    else given = reason;
    if (this.fields !== undefined && given !== undefined && given !== null) {
      // Both APIs used: the object's fields join (and override) the ones set before, as in node.
      if (Array.isArray(given)) {
        for (let i = 0; i + 1 < given.length; i += 2) this.setHeader(String(given[i]), given[i + 1]);
      } else {
        for (const key in given as OutgoingHttpHeaders) {
          const v = (given as OutgoingHttpHeaders)[key];
          if (v !== undefined) this.setHeader(key, v);
        }
      }
      given = undefined;
    }
    this.given = (given ?? undefined) as OutgoingHttpHeaders | readonly unknown[] | undefined;
    this.statusCode = status;
    this.buildHead(status, undefined);
    return this;
  }

  flushHeaders(): void {
    if (this.head === undefined) this.buildHead(this.statusCode, undefined);
    this.sendHead();
  }

  addTrailers(headers: OutgoingHttpHeaders): void {
    this.trailer = (this.trailer ?? '') + trailerLines(headers);
  }

  writeEarlyHints(hints: Record<string, string | string[]>): void {
    const head = this.head === undefined ? earlyHintsHead(hints) : undefined;
    if (head !== undefined) this.host.socket.write(head, 'latin1');
  }

  write(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    const callback = (typeof encoding === 'function' ? encoding : cb) as Callback | undefined;
    if (this.writableEnded || this.destroyed) {
      if (callback) process.nextTick(callback, new Error('write after end'));
      return false;
    }
    if (this.head === undefined) this.buildHead(this.statusCode, undefined);
    if (!this.hasBody) {
      if (callback) process.nextTick(callback);
      return true;
    }
    this.cork();
    const ok = this.body(chunk, encoding, callback);
    if (!ok && !this.waitingDrain) {
      this.waitingDrain = true;
      this.host.socket.once('drain', this.onDrain);
    }
    return ok;
  }

  end(chunk?: unknown, encoding?: unknown, cb?: unknown): this {
    let data = chunk;
    let enc = encoding;
    let callback = cb as Callback | undefined;
    if (typeof data === 'function') {
      callback = data as Callback;
      data = undefined;
    } else if (typeof enc === 'function') {
      callback = enc as Callback;
      enc = undefined;
    }
    if (this.writableEnded || this.destroyed) {
      if (callback) process.nextTick(callback);
      return this;
    }
    if (callback) this.once('finish', callback);
    const empty = data === undefined || data === null;
    if (this.head === undefined) this.buildHead(this.statusCode, empty ? undefined : byteLength(data, enc));
    this.writableEnded = true;
    const socket = this.host.socket;
    this.cork();
    if (!empty && this.hasBody) this.body(data, enc, undefined);
    else this.sendHead();
    if (this.chunked && this.hasBody) socket.write(`0\r\n${this.trailer ?? ''}\r\n`, 'latin1');
    socket.write(NO_BYTES, this.onFlushed);
    this.uncork();
    return this;
  }

  /** Cuts the exchange: the connection closes (`close` follows when the socket is gone). */
  destroy(_err?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.host.socket.destroy();
    return this;
  }

  /** The connection closed: `close` for the response, unless it was already emitted. */
  connectionClosed(): void {
    this.destroyed = true;
    this.emitClose();
  }

  /** The socket took the last bytes. */
  private readonly onFlushed = (err?: Error | null): void => {
    if (err || this.closed) return;
    this.writableFinished = true;
    this.host.socket.off('drain', this.onDrain);
    this.emit('finish');
    this.destroyed = true;
    // The next request pipelined behind this one enters before this one's `close`: the count of requests
    // in flight (graceful stop, reloads) never drops to zero between two accepted requests.
    this.host.responseDone(this);
    this.emitClose();
  };

  private emitClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }

  cork(): void {
    if (this.corked) return;
    this.corked = true;
    this.host.socket.cork();
    process.nextTick(uncorkSoon, this);
  }

  uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.host.socket.uncork();
  }

  private sendHead(): void {
    if (this.headFlushed) return;
    this.headFlushed = true;
    this.host.socket.write(this.head!, 'latin1');
  }

  /** Writes body bytes (framed when chunked), the head first if it has not left yet. */
  private body(chunk: unknown, encoding: unknown, cb: Callback | undefined): boolean {
    this.sendHead();
    const socket = this.host.socket;
    const enc = typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined;
    const n = byteLength(chunk, enc);
    this.bodyBytes += n;
    if (!this.chunked) return socket.write(chunk as Buffer, enc as BufferEncoding, cb);
    if (n === 0) {
      if (cb) process.nextTick(cb);
      return !socket.writableNeedDrain;
    }
    socket.write(`${n.toString(16)}\r\n`, 'latin1');
    socket.write(chunk as Buffer, enc as BufferEncoding);
    return socket.write('\r\n', 'latin1', cb);
  }

  /**
   * Builds the head as node's `ServerResponse` does (`_storeHeader`): the fields in the order given,
   * then `Date`, `Connection`/`Keep-Alive` and the framing header when the fields did not say them.
   * `knownLength`: the length of the single chunk `end()` was called with.
   */
  private buildHead(status: number, knownLength: number | undefined): void {
    const code = Math.trunc(status);
    if (!(code >= 100 && code <= 999)) {
      throw new SwitchyardError('INTERNAL', `invalid status code ${String(status)}`);
    }
    if (code === 204 || code === 304 || code < 200) this.hasBody = false;
    const reason = this.statusMessage ?? STATUS_CODES[code] ?? 'unknown';
    if (this.statusMessage !== undefined) checkValue('status message', reason);
    const state = new HeadState(`HTTP/1.1 ${code} ${reason}\r\n`);
    const fields = this.fields;
    const given = this.given;
    if (fields !== undefined) {
      for (const key in fields) {
        const [name, value] = fields[key]!;
        state.add(name, value, false);
      }
    } else if (Array.isArray(given)) {
      for (let i = 0; i + 1 < given.length; i += 2) state.add(String(given[i]), given[i + 1] as Value, true);
    } else if (given !== undefined) {
      const obj = given as OutgoingHttpHeaders;
      for (const key in obj) state.add(key, obj[key] as Value, true);
    }
    if (state.closeToken) this.last = true;
    if (state.teChunked) this.chunked = true;
    let text = state.text;
    if (!state.date) text += `Date: ${httpDate()}\r\n`;
    if (!state.connection) {
      if (this.keepAlive && (state.length || this.chunkedByDefault)) {
        text += 'Connection: keep-alive\r\n';
        const seconds = this.host.keepAliveSeconds;
        if (!state.keepAlive && seconds > 0) text += `Keep-Alive: timeout=${seconds}\r\n`;
      } else {
        this.last = true;
        text += 'Connection: close\r\n';
      }
    }
    if (!state.length && !state.te) {
      if (!this.hasBody) this.chunked = false;
      else if (!this.chunkedByDefault) this.last = true;
      else if (!state.trailer && knownLength !== undefined) text += `Content-Length: ${knownLength}\r\n`;
      else {
        text += 'Transfer-Encoding: chunked\r\n';
        this.chunked = true;
      }
    }
    this.head = `${text}\r\n`;
  }
}
