import type { Socket } from 'node:net';
import { answerAndClose } from '../client-error.js';
import { type FastHead, headEnd, parseHead } from './parse-head.js';
import { FastRequest } from './request.js';
import { FastResponse, type ResponseHost } from './response.js';

/** What a connection needs from its fast-path server (src/entrypoints/fast-h1/server.ts). */
export interface ConnectionOwner {
  readonly maxHeaderBytes: number;
  /** Bound on a request head's arrival (node's `headersTimeout`, itself within `readTimeout`). */
  readonly headTimeoutMs: number;
  /** Keep-alive idle time between requests (0 = none). */
  readonly idleTimeoutMs: number;
  readonly keepAliveSeconds: number;
  /** Graceful stop: every response closes its connection. */
  readonly closing: boolean;
  serve(req: FastRequest, res: FastResponse): void;
  /** The connection is node's from now on (the bytes not consumed were put back on the socket). */
  handOff(socket: Socket): void;
  forget(conn: FastConnection): void;
}

/** Bytes read ahead behind a request being answered before the socket stops reading. */
const READ_AHEAD = 64 * 1024;

/**
 * One HTTP/1 connection on the fast path (docs/design/http1-fast-path.md). It reads request heads itself
 * and answers them one at a time, in order; the first head it does not serve (anything but a simple
 * request without a body, or anything malformed) hands the connection to node's server, with the bytes
 * not consumed put back, once no answer of its own is pending.
 */
export class FastConnection implements ResponseHost {
  private buf: Buffer | undefined;
  private current: FastResponse | undefined;
  private headTimer: NodeJS.Timeout | undefined;
  private paused = false;
  private done = false;
  /** Graceful stop while the response is pending: close once it is written. */
  private closeAfter = false;

  constructor(
    readonly socket: Socket,
    private readonly owner: ConnectionOwner,
  ) {}

  get keepAliveSeconds(): number {
    return this.owner.keepAliveSeconds;
  }

  start(): void {
    const socket = this.socket;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onClose);
    if (this.owner.idleTimeoutMs > 0) {
      socket.setTimeout(this.owner.idleTimeoutMs);
      socket.on('timeout', this.onIdle);
    }
    // The dispatcher has seen the first bytes: the head's clock runs from here.
    this.armHeadTimer();
  }

  /** Idle (no request being read or answered). */
  get idle(): boolean {
    return this.current === undefined && this.buf === undefined;
  }

  /**
   * Graceful stop: the requests already received are answered (as node's server does with pipelined
   * ones), the last of them with `Connection: close`; nothing after them is read.
   */
  closeAfterResponse(): void {
    const res = this.current;
    if (res === undefined) return;
    if (!res.headersSent && !this.headWaiting()) res.keepAlive = false;
    this.closeAfter = true;
  }

  /** A whole request head is already buffered behind the one being answered. */
  private headWaiting(): boolean {
    return this.buf !== undefined && headEnd(this.buf) >= 0;
  }

  /** Graceful stop: closes the connection if it waits for a request. */
  closeIfIdle(): void {
    if (this.idle) this.finish(true);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.buf = this.buf === undefined ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.current === undefined) this.next();
    else if (this.buf.length > READ_AHEAD && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  };

  /** Serves the next request in the buffer, hands the connection off, or waits for more bytes. */
  private next(): void {
    const buf = this.buf;
    if (buf === undefined) return;
    const end = headEnd(buf);
    if (
      end === -2 ||
      end >= this.owner.maxHeaderBytes ||
      (end === -1 && buf.length >= this.owner.maxHeaderBytes)
    ) {
      this.handOff();
      return;
    }
    if (end === -1) {
      this.armHeadTimer();
      return;
    }
    const head = parseHead(buf.toString('latin1', 0, end));
    if (head === undefined) {
      this.handOff();
      return;
    }
    this.buf = end < buf.length ? buf.subarray(end) : undefined;
    if (this.headTimer !== undefined) {
      clearTimeout(this.headTimer);
      this.headTimer = undefined;
    }
    if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
    this.serve(head);
  }

  private serve(head: FastHead): void {
    const stopping = this.closeAfter || this.owner.closing;
    const keepAlive = !head.close && (!stopping || this.headWaiting());
    const res = new FastResponse(this, head.method, keepAlive, head.minor === 1 || head.teChunked);
    this.current = res;
    this.owner.serve(new FastRequest(head, this.socket), res);
  }

  responseDone(res: FastResponse): void {
    if (this.current !== res) return;
    this.current = undefined;
    const stopping = this.closeAfter || this.owner.closing;
    if (res.last || !res.keepAlive || (stopping && !this.headWaiting())) {
      this.finish(true);
      return;
    }
    this.next();
  }

  /** Gives the connection to node's server: everything not consumed goes back on the socket first. */
  private handOff(): void {
    const socket = this.socket;
    const rest = this.buf;
    this.detach();
    if (socket.destroyed) return;
    if (rest !== undefined) socket.unshift(rest);
    this.owner.handOff(socket);
    if (socket.isPaused()) socket.resume();
  }

  /** A client error the fast path answers itself (408, or 400 for a head cut by the client's end). */
  private answer(status: number): void {
    this.detach();
    if (!this.socket.destroyed && this.socket.writable) answerAndClose(this.socket, status);
    else this.socket.destroy();
  }

  /** Ends the connection: after a response that closes it, or the client's end of stream. */
  private finish(closing: boolean): void {
    this.detach();
    if (closing) this.socket.destroySoon();
    else if (this.socket.writable) this.socket.end();
  }

  private detach(): void {
    if (this.done) return;
    this.done = true;
    const socket = this.socket;
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('close', this.onClose);
    socket.off('timeout', this.onIdle);
    if (this.owner.idleTimeoutMs > 0) socket.setTimeout(0);
    if (this.headTimer !== undefined) clearTimeout(this.headTimer);
    this.headTimer = undefined;
    this.buf = undefined;
    this.owner.forget(this);
  }

  private armHeadTimer(): void {
    if (this.headTimer !== undefined || this.owner.headTimeoutMs <= 0) return;
    this.headTimer = setTimeout(this.onHeadTimeout, this.owner.headTimeoutMs);
  }

  private readonly onHeadTimeout = (): void => {
    this.headTimer = undefined;
    // A head still incomplete: 408 once the pending answer (if any) is out.
    if (this.current === undefined) this.answer(408);
    else this.closeAfter = true;
  };

  /**
   * The client's end of stream. As node's server (which does not allow half-open HTTP connections): a
   * request being answered is abandoned and the connection ends (its `close` follows); an incomplete head
   * gets 400.
   */
  private readonly onEnd = (): void => {
    if (this.current !== undefined) {
      this.buf = undefined;
      this.socket.end();
    } else if (this.buf !== undefined) this.answer(400);
    else this.finish(false);
  };

  private readonly onIdle = (): void => {
    if (this.idle) this.socket.destroy();
  };

  private readonly onClose = (): void => {
    const res = this.current;
    this.current = undefined;
    this.detach();
    res?.connectionClosed();
  };
}
