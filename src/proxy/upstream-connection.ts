import type { Socket } from 'node:net';
import { type HttpContext, runHeadHooks } from '../core/http-context.js';
import { abandon, BAD_GATEWAY, GATEWAY_TIMEOUT, replyError } from './exchange-end.js';
import { buildRequestHead } from './request-head.js';
import type { ForwardOptions, UpstreamTarget } from './target.js';
import { switchProtocols } from './upgrade.js';
import type { UpstreamPool } from './upstream-pool.js';
import { UpstreamRequest } from './upstream-request.js';

/**
 * How long a response head may wait for its first body byte before it goes to the client alone: Traefik's
 * default `flushInterval`, after which Go's proxy flushes the head (long polls, event streams).
 */
const HEAD_HOLD_MS = 100;

/** Methods that may be replayed on a fresh connection when a reused one turned out to be dead. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * One upstream socket and the exchange running on it. All event handlers are bound once per connection
 * and the per-request state lives in fields, so forwarding a request allocates no closures.
 */
export class UpstreamConnection extends UpstreamRequest {
  /** When the connection went back to the idle stack (ms since epoch). */
  idleSince = 0;

  private target: UpstreamTarget | undefined;
  private opts: ForwardOptions | undefined;
  private dead = false;
  /** Requests finished on this socket; > 0 means the current one runs on a reused connection. */
  private served = 0;
  private reused = false;
  private retried = false;
  private responseDone = false;
  private socketPaused = false;
  private upgrading = false;
  private switching = false;
  /** A final head waits for its first body byte (or the end, or `HEAD_HOLD_MS`) before going out. */
  private headPending = false;
  private holdTimer: NodeJS.Timeout | undefined;
  private ttfb = 0; // performance.now() at start, then time to first byte (only with onResult)

  constructor(pool: UpstreamPool, socket: Socket, tlsSocket: boolean) {
    super(pool, socket);
    socket.on(tlsSocket ? 'secureConnect' : 'connect', this.onConnect);
    socket.on('data', this.onSocketData);
    socket.on('end', this.onSocketEnd);
    socket.on('error', this.onSocketError);
    socket.on('close', this.onSocketClose);
    socket.on('timeout', this.onSocketTimeout);
    const dial = pool.options.dialTimeoutMs;
    if (dial > 0) socket.setTimeout(dial);
  }

  /** Sends `ctx`'s request on this connection and streams the response back. */
  start(
    ctx: HttpContext,
    target: UpstreamTarget,
    opts: ForwardOptions,
    retried: boolean,
    upgrade: boolean,
  ): void {
    this.ctx = ctx;
    this.target = target;
    this.opts = opts;
    this.reused = this.served > 0;
    this.retried = retried;
    this.bodyStarted = false;
    this.requestWritten = false;
    this.headSent = false;
    this.headPending = false;
    this.responseDone = false;
    this.upgrading = upgrade;
    this.switching = false;
    if (opts.onResult !== undefined) this.ttfb = performance.now();
    this.reset(ctx.req.method === 'HEAD');
    const head = buildRequestHead(ctx, target, upgrade, this);
    ctx.rawRes.on('close', this.onClientClose);
    this.socket.write(head, 'latin1');
    if (upgrade) {
      // Only the declared body goes out before the server agrees to switch: the bytes after it belong
      // to the new protocol, or are a request pipelined behind the upgrade, which must not reach the
      // server as its own request when it answers anything but 101. `switchProtocols` sends the rest.
      const early = ctx.upgrade?.head;
      const body = Number(ctx.req.headers['content-length'] ?? 0) || 0;
      if (early && early.length > 0 && body > 0) this.socket.write(early.subarray(0, body));
      this.afterRequestWritten();
    } else {
      this.sendBody();
    }
  }

  /** Closes the socket; the pending exchange, if any, is not answered here. */
  destroy(): void {
    this.dead = true;
    this.socket.destroy();
  }

  private readonly onConnect = (): void => {
    this.connected = true;
    this.socket.setTimeout(0); // the dial timeout is over
    this.armHeadDeadline();
  };

  protected readonly onHeadDeadline = (): void => {
    if (this.ctx !== undefined) this.upstreamFailed(GATEWAY_TIMEOUT, 'response header timeout');
  };

  private readonly onSocketData = (chunk: Buffer): void => {
    if (this.ctx === undefined) {
      // Bytes on an idle connection: the server is confused; never reuse it.
      this.pool.forget(this);
      this.destroy();
      return;
    }
    const n = this.execute(chunk);
    if (n < 0) {
      this.upstreamFailed(BAD_GATEWAY, `invalid response: ${this.error}`);
      return;
    }
    // A head without its first body byte yet: it goes out alone if the body is slow to come.
    if (this.headPending && this.holdTimer === undefined) {
      this.holdTimer = setTimeout(this.onHoldTimeout, HEAD_HOLD_MS);
    }
    if (this.switching) {
      this.switchOver(n < chunk.length ? chunk.subarray(n) : undefined);
      return;
    }
    if (this.responseDone) this.recycle();
  };

  protected onInformational(): void {
    const ctx = this.ctx!;
    if (this.statusCode === 100) {
      if (this.expectContinue && !this.bodyStarted) this.beginContinue();
      return;
    }
    const link = this.headers.link;
    if (this.statusCode === 103 && link !== undefined && !ctx.rawRes.headersSent) {
      try {
        ctx.rawRes.writeEarlyHints({ link: link as string | string[] });
      } catch {
        // Early hints are advisory; a client that cannot take them loses nothing.
      }
    }
  }

  /**
   * A final head arrived. It goes to the client with the first body byte, at the end of the response, or
   * after `HEAD_HOLD_MS` without body (as Go's proxy flushes it); until then a failure (a bad chunk size,
   * a server closing early) can still be answered 502 instead of cutting a response that has begun.
   */
  protected onHead(): boolean {
    this.clearContinueTimer();
    this.clearHeadDeadline();
    if (this.opts!.onResult !== undefined) this.ttfb = performance.now() - this.ttfb;
    if (this.statusCode === 101) {
      if (this.upgrading) this.switching = true;
      else this.upstreamFailed(BAD_GATEWAY, 'unexpected 101 Switching Protocols');
      return false;
    }
    this.headPending = true;
    this.served++;
    return true;
  }

  private readonly onHoldTimeout = (): void => {
    this.holdTimer = undefined;
    if (!this.headPending || this.ctx === undefined) return;
    if (this.flushHead()) this.ctx.res.flushHeaders();
    else this.halt();
  };

  /** Writes the pending head downstream; false (and the exchange answered 502) when it is refused. */
  private flushHead(): boolean {
    const ctx = this.ctx!;
    this.headPending = false;
    if (this.holdTimer !== undefined) {
      clearTimeout(this.holdTimer);
      this.holdTimer = undefined;
    }
    try {
      const status = runHeadHooks(ctx, this.statusCode, this.headers);
      ctx.res.writeHead(status, this.headers);
      if (ctx.origin !== undefined) ctx.origin.status = status;
    } catch (err) {
      this.upstreamFailed(BAD_GATEWAY, `response head rejected: ${(err as Error).message}`);
      return false;
    }
    this.headSent = true;
    return true;
  }

  protected onBody(chunk: Buffer): void {
    if (this.headPending && !this.flushHead()) {
      this.halt();
      return;
    }
    const ctx = this.ctx!;
    if (ctx.origin !== undefined) ctx.origin.bytes += chunk.length;
    const res = ctx.res;
    if (!res.write(chunk) && !this.socketPaused) {
      this.socketPaused = true;
      this.socket.pause();
      res.on('drain', this.onResDrain);
    }
  }

  protected onComplete(): void {
    this.responseDone = true;
  }

  /** A 101 arrived: hand both sockets over to a raw pipe. */
  private switchOver(rest: Buffer | undefined): void {
    const ctx = this.ctx!;
    const target = this.target!;
    const socket = this.socket;
    this.switching = false;
    this.leaveExchange();
    this.dead = true;
    socket.off('data', this.onSocketData);
    socket.off('end', this.onSocketEnd);
    socket.off('timeout', this.onSocketTimeout);
    switchProtocols(ctx, target, socket, this.headers, this.upgradeValue, rest);
  }

  private readonly onResDrain = (): void => {
    if (!this.socketPaused) return;
    this.socketPaused = false;
    this.ctx?.res.off('drain', this.onResDrain);
    this.socket.resume();
  };

  /** The response is complete: end it downstream, then reuse or close the connection. */
  private recycle(): void {
    const ctx = this.ctx!;
    const target = this.target!;
    const opts = this.opts!;
    const reusable =
      this.keepAlive &&
      !this.excess &&
      this.requestWritten &&
      !this.upgrading &&
      !this.pool.closed &&
      !this.dead;
    if (this.headPending && !this.flushHead()) return;
    this.leaveExchange();
    if (ctx.origin !== undefined) ctx.origin.endedAt = performance.now();
    ctx.res.end();
    // A refused upgrade was answered over the raw client socket: close it after the answer.
    if (this.upgrading) ctx.upgrade?.socket.end();
    opts.onResult?.(target, true, this.ttfb);
    if (reusable) this.pool.release(this);
    else {
      this.pool.forget(this);
      this.destroy();
    }
  }

  private readonly onSocketEnd = (): void => {
    if (this.ctx !== undefined && (this.headSent || this.headPending) && this.eof()) {
      this.recycle();
      return;
    }
    this.onSocketGone(undefined);
  };

  private readonly onSocketError = (err: Error): void => this.onSocketGone(err);

  private readonly onSocketClose = (): void => {
    this.pool.open--;
    this.onSocketGone(undefined);
  };

  private onSocketGone(err: Error | undefined): void {
    if (this.ctx === undefined) {
      this.pool.forget(this);
      this.dead = true;
      if (!this.socket.destroyed) this.socket.destroy();
      return;
    }
    const reason = err
      ? `${(err as NodeJS.ErrnoException).code ?? 'error'}: ${err.message}`
      : 'connection closed';
    this.upstreamFailed(BAD_GATEWAY, reason, err);
  }

  private readonly onSocketTimeout = (): void => {
    if (this.ctx === undefined) {
      this.pool.forget(this);
      this.destroy();
      return;
    }
    if (!this.connected) this.upstreamFailed(GATEWAY_TIMEOUT, 'dial timeout');
  };

  /** The upstream failed mid-exchange: retry once on a fresh connection, answer 502/504, or cut. */
  private upstreamFailed(status: number, reason: string, err?: Error): void {
    const ctx = this.ctx;
    const target = this.target!;
    const opts = this.opts!;
    if (ctx === undefined) return;
    this.leaveExchange();
    this.pool.forget(this);
    this.destroy();
    const replay =
      status === BAD_GATEWAY &&
      this.reused &&
      !this.retried &&
      !this.receivedAny &&
      !this.bodyStarted &&
      !this.headSent &&
      !this.upgrading &&
      IDEMPOTENT.has(ctx.req.method ?? '');
    if (replay && !ctx.rawRes.destroyed) {
      this.pool.connect().start(ctx, target, opts, true, false);
      return;
    }
    opts.onResult?.(target, false);
    if (this.headSent) abandon(ctx, reason, target);
    else replyError(ctx, status, reason, target, err);
  }

  protected onRequestCut(): void {
    this.onClientClose();
  }

  /** The client went away first: abort the upstream request and record 499. */
  private readonly onClientClose = (): void => {
    const ctx = this.ctx;
    if (ctx === undefined || this.responseDone) return;
    if (!ctx.rawRes.headersSent) ctx.abortedStatus = 499;
    const { target, opts } = this;
    this.leaveExchange();
    this.pool.forget(this);
    this.destroy();
    opts?.onResult?.(target!, true);
  };

  /** Ends this connection's part in the exchange: listeners off, timers cleared, references dropped. */
  private leaveExchange(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    this.detachRequest();
    ctx.rawRes.off('close', this.onClientClose);
    this.clearContinueTimer();
    this.clearHeadDeadline();
    this.headPending = false;
    if (this.holdTimer !== undefined) {
      clearTimeout(this.holdTimer);
      this.holdTimer = undefined;
    }
    if (this.socketPaused) {
      this.socketPaused = false;
      ctx.res.off('drain', this.onResDrain);
      this.socket.resume();
    }
    this.ctx = undefined;
    this.target = undefined;
    this.opts = undefined;
  }
}
