import type { OutgoingHttpHeaders } from 'node:http';
import { FRAMING_CHUNKED, FRAMING_CLOSE, type ParsedHead, parseResponseHead } from './response-head.js';

/**
 * An incremental HTTP/1.x *response* parser made for proxying: it hands the body over as slices of the
 * socket's buffers (no copies), removes the hop-by-hop headers while it parses, and keeps what framing
 * and connection reuse need. Subclasses (the upstream connection) receive the events as method calls,
 * which keeps the hot path free of closures.
 *
 * Framing follows RFC 9112 §6.3: HEAD/1xx/204/304 have no body; `Transfer-Encoding` ending in `chunked`
 * is chunked (any other coding reads to close); else a valid `Content-Length`; else the body runs to close.
 * Limits (docs/reliability.md): a head, and the trailers, of at most `MAX_RESPONSE_HEAD_BYTES`; at most
 * `MAX_INFORMATIONAL` 1xx heads before the final one (Go's bound).
 */
export abstract class ResponseParser implements ParsedHead {
  /** Status of the head being handled (valid inside `onHead`/`onInformational`). */
  statusCode = 0;
  /** `HTTP/1.x` minor version of the last head. */
  versionMinor = 1;
  /** End-to-end headers, lowercase names; repeated names become arrays (written back as separate lines). */
  headers: OutgoingHttpHeaders = {};
  /** The `Upgrade` header of a 101 response. */
  upgradeValue: string | undefined;
  /** Whether the connection may carry another request after this response. */
  keepAlive = false;
  /** Set before a request whose response has no body whatever its headers say (HEAD). */
  noBody = false;
  /** True once any byte of the current response arrived (the stale keep-alive retry needs to know). */
  receivedAny = false;
  /** Bytes that followed a complete response (a peer that pipelines or misbehaves: do not reuse). */
  excess = false;
  /** The reason of the last parse failure. */
  error = '';

  /** Framing and length of the current head (see response-head.ts). */
  framing = FRAMING_CLOSE;
  contentLength = 0;

  private state: number = HEAD;
  private pending: Buffer | undefined;
  private remaining = 0;
  private sawDigit = false;
  private lineLength = 0;
  private trailerBytes = 0;
  private informationalCount = 0;

  /** A final response head is ready in `statusCode`/`headers`. Return false to stop parsing (upgrade). */
  protected abstract onHead(): boolean;
  /** A 1xx head other than 101 (100 Continue, 103 Early Hints). */
  protected abstract onInformational(): void;
  protected abstract onBody(chunk: Buffer): void;
  /** The response is complete. */
  protected abstract onComplete(): void;

  /** Prepares for the next response on this connection. */
  reset(noBody: boolean): void {
    this.state = HEAD;
    this.pending = undefined;
    this.noBody = noBody;
    this.receivedAny = false;
    this.excess = false;
    this.error = '';
    this.informationalCount = 0;
  }

  /** Stops parsing: the consumer gave up on this response (its exchange failed). */
  protected halt(): void {
    this.state = STOPPED;
  }

  /**
   * Feeds bytes from the socket. Returns the number of bytes consumed: `chunk.length` normally, less when
   * parsing stopped after a 101 head (the rest belongs to the upgraded protocol), -1 on a protocol error
   * (see `error`).
   */
  execute(chunk: Buffer): number {
    const len = chunk.length;
    if (len > 0) this.receivedAny = true;
    let i = 0;
    while (i < len) {
      switch (this.state) {
        case HEAD: {
          const r = this.readHead(chunk, i);
          if (r < 0) return r === NEED_MORE ? len : -1;
          i = r;
          if ((this.state as number) === STOPPED) return i;
          break;
        }
        case LENGTH:
        case CHUNK_DATA: {
          const n = Math.min(this.remaining, len - i);
          this.remaining -= n;
          this.onBody(i === 0 && n === len ? chunk : chunk.subarray(i, i + n));
          i += n;
          if ((this.state as number) === STOPPED) return i;
          if (this.remaining > 0) break;
          if (this.state === LENGTH) this.complete();
          else this.state = CHUNK_CR;
          break;
        }
        case CLOSE:
          this.onBody(i === 0 ? chunk : chunk.subarray(i));
          return len;
        case DONE:
          this.excess = true;
          return len;
        case STOPPED:
          return i;
        default:
          i = this.chunkFraming(chunk, i);
          if (i < 0) return -1;
      }
    }
    return len;
  }

  /** The peer closed its side. Returns true when that completed the response (read-to-close body). */
  eof(): boolean {
    if (this.state === CLOSE) {
      this.complete();
      return true;
    }
    return false;
  }

  /** True while the body runs until the connection closes. */
  get readsToClose(): boolean {
    return this.state === CLOSE;
  }

  private complete(): void {
    this.state = DONE;
    this.onComplete();
  }

  /** Scans chunk framing (sizes, CRLFs, trailers) byte by byte; returns the next index or -1. */
  private chunkFraming(chunk: Buffer, i: number): number {
    const len = chunk.length;
    for (; i < len; i++) {
      const c = chunk[i]!;
      switch (this.state) {
        case CHUNK_SIZE: {
          const d = hexValue(c);
          if (d >= 0) {
            this.remaining = this.remaining * 16 + d;
            this.sawDigit = true;
            if (this.remaining > MAX_CHUNK) return this.fail('chunk size too large');
          } else if (c === LF) {
            if (!this.sawDigit) return this.fail('missing chunk size');
            return this.endSizeLine(i + 1);
          } else if (c === CR || c === SEMI || c === SP || c === TAB) {
            if (!this.sawDigit) return this.fail('missing chunk size');
            this.state = CHUNK_EXT;
          } else {
            return this.fail('invalid chunk size');
          }
          break;
        }
        case CHUNK_EXT:
          if (c === LF) return this.endSizeLine(i + 1);
          if (++this.lineLength > MAX_LINE) return this.fail('chunk extension too long');
          break;
        case CHUNK_CR:
          if (c === CR) this.state = CHUNK_LF;
          else if (c === LF) this.startChunk();
          else return this.fail('missing CRLF after chunk');
          break;
        case CHUNK_LF:
          if (c !== LF) return this.fail('missing CRLF after chunk');
          this.startChunk();
          return i + 1;
        case TRAILERS:
          if (c === LF) {
            if (this.lineLength === 0) {
              this.complete();
              return i + 1;
            }
            this.lineLength = 0;
          } else if (c !== CR) {
            this.lineLength++;
            if (++this.trailerBytes > MAX_HEAD) return this.fail('trailers too large');
          }
          break;
        default:
          return i;
      }
    }
    return i;
  }

  private startChunk(): void {
    this.state = CHUNK_SIZE;
    this.remaining = 0;
    this.sawDigit = false;
    this.lineLength = 0;
  }

  private endSizeLine(next: number): number {
    if (this.remaining === 0) {
      this.state = TRAILERS;
      this.lineLength = 0;
      this.trailerBytes = 0;
    } else {
      this.state = CHUNK_DATA;
    }
    return next;
  }

  private fail(reason: string): number {
    this.error = reason;
    this.state = STOPPED;
    return -1;
  }

  /** Finds the end of the head; parses it. Returns the index after it, NEED_MORE or -1. */
  private readHead(chunk: Buffer, start: number): number {
    let buf = chunk;
    let from = start;
    if (this.pending) {
      buf = Buffer.concat([this.pending, start === 0 ? chunk : chunk.subarray(start)]);
      from = 0;
    }
    // A head whose first line ends in a bare LF uses bare LFs throughout (lenient, as Go's reader).
    const firstLF = buf.indexOf(LF, from);
    const bareLF = firstLF > from && buf[firstLF - 1] !== CR;
    const end = firstLF < 0 ? -1 : buf.indexOf(bareLF ? LFLF : CRLFCRLF, firstLF - 1);
    const sepLength = bareLF ? 2 : 4;
    if (end < 0) {
      if (buf.length - from > MAX_HEAD) return this.fail('response head too large');
      this.pending = from === 0 ? Buffer.from(buf) : Buffer.from(buf.subarray(from));
      return NEED_MORE;
    }
    const consumedFromPending = this.pending ? this.pending.length : 0;
    this.pending = undefined;
    if (end - from > MAX_HEAD) return this.fail('response head too large');
    const problem = parseResponseHead(buf.toString('latin1', from, end), this);
    if (problem !== undefined) return this.fail(problem);
    const next = end + sepLength;
    // Translate the index back into `chunk` when the head started in an earlier packet.
    const after = buf === chunk ? next : start + (next - consumedFromPending);
    return this.afterHead(after);
  }

  /** Decides the framing once a head is parsed; returns the next index. */
  private afterHead(next: number): number {
    const status = this.statusCode;
    if (status < 200) {
      if (status === 101) {
        this.state = STOPPED;
        this.onHead();
        return next;
      }
      if (++this.informationalCount > MAX_INFORMATIONAL) return this.fail('too many 1xx responses');
      this.onInformational();
      this.state = HEAD;
      return next;
    }
    const framing = this.framing;
    if (this.noBody || status === 204 || status === 304) {
      this.state = DONE;
      if (this.onHead()) this.complete();
      return next;
    }
    if (framing === FRAMING_CHUNKED) this.startChunk();
    else if (framing === FRAMING_CLOSE) {
      this.keepAlive = false;
      this.state = CLOSE;
    } else {
      this.remaining = this.contentLength;
      this.state = LENGTH;
    }
    if (!this.onHead()) {
      this.state = STOPPED;
      return next;
    }
    if (this.state === LENGTH && this.remaining === 0) this.complete();
    return next;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');
const CR = 13;
const LF = 10;
const SP = 32;
const TAB = 9;
const SEMI = 59;
/** The largest response head (status line and headers) taken from a server; over it: 502. */
export const MAX_RESPONSE_HEAD_BYTES = 32 * 1024;
/** 1xx responses allowed before the final one (as Go's transport); one more: 502. */
export const MAX_INFORMATIONAL = 5;
const MAX_HEAD = MAX_RESPONSE_HEAD_BYTES;
const MAX_LINE = 4096;
const MAX_CHUNK = 2 ** 48;
const NEED_MORE = -2;

// parser states
const HEAD = 0;
const LENGTH = 1;
const CHUNK_SIZE = 2;
const CHUNK_EXT = 3;
const CHUNK_DATA = 4;
const CHUNK_CR = 5;
const CHUNK_LF = 6;
const TRAILERS = 7;
const CLOSE = 8;
const DONE = 9;
const STOPPED = 10;
