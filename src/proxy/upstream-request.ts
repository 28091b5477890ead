import type { Socket } from 'node:net';
import { bodyCut, type HttpContext } from '../core/http-context.js';
import type { RequestFraming } from './request-head.js';
import { ResponseParser } from './response-parser.js';
import type { UpstreamPool } from './upstream-pool.js';

/** How long to wait for the server's 100 Continue before sending the body anyway (Go's default). */
export const EXPECT_CONTINUE_MS = 1000;

/**
 * The request half of an upstream exchange: streams the client's body to the socket with backpressure
 * (re-chunking it when it came chunked), holds it back while an `Expect: 100-continue` is pending, and
 * arms the response-header deadline once the request is fully written and the socket connected. The
 * deadline covers the whole head, 1xx heads included: a server trickling its head a byte at a time, or
 * sending 100 Continue after 100 Continue, cannot stretch it (it is not an idle timer). The response half
 * is the parser this class extends and the connection that extends it.
 */
export abstract class UpstreamRequest extends ResponseParser implements RequestFraming {
  hasBody = false;
  chunked = false;
  expectContinue = false;

  protected ctx: HttpContext | undefined;
  protected connected = false;
  protected bodyStarted = false;
  protected requestWritten = false;
  protected headSent = false;
  protected continueTimer: NodeJS.Timeout | undefined;
  private headTimer: NodeJS.Timeout | undefined;
  private reqPaused = false;

  constructor(
    readonly pool: UpstreamPool,
    readonly socket: Socket,
  ) {
    super();
    socket.on('drain', this.onSocketDrain);
  }

  /** Starts sending the body (no body: the request is complete), or waits for 100 Continue. */
  protected sendBody(): void {
    if (!this.hasBody) this.afterRequestWritten();
    else if (this.expectContinue) this.continueTimer = setTimeout(this.onContinueTimeout, EXPECT_CONTINUE_MS);
    else this.startBody();
  }

  /** The server said 100 Continue (or kept silent too long): tell the client, let the body flow. */
  protected beginContinue(): void {
    this.clearContinueTimer();
    this.expectContinue = false;
    const ctx = this.ctx!;
    ctx.protocol.writeContinue(ctx);
    this.startBody();
  }

  protected clearContinueTimer(): void {
    if (this.continueTimer !== undefined) clearTimeout(this.continueTimer);
    this.continueTimer = undefined;
  }

  protected afterRequestWritten(): void {
    this.requestWritten = true;
    this.armHeadDeadline();
  }

  /** Starts the response-header deadline once the request is written on a connected socket. */
  protected armHeadDeadline(): void {
    const ms = this.pool.options.responseHeaderTimeoutMs;
    if (ms > 0 && this.connected && this.requestWritten && this.headTimer === undefined && this.ctx) {
      this.headTimer = setTimeout(this.onHeadDeadline, ms);
    }
  }

  /** The final head arrived, or the exchange ended. */
  protected clearHeadDeadline(): void {
    if (this.headTimer !== undefined) clearTimeout(this.headTimer);
    this.headTimer = undefined;
  }

  /** The client's body ended before its framing was complete: abort the exchange as a client abort. */
  protected abstract onRequestCut(): void;

  /** The response head did not arrive in time (504). */
  protected abstract onHeadDeadline: () => void;

  /** Stops reading the client's body (it is left to Node to drain or drop). */
  protected detachRequest(): void {
    const req = this.ctx?.req;
    if (!req) return;
    req.off('data', this.onReqData);
    req.off('end', this.onReqEnd);
    if (this.reqPaused) {
      this.reqPaused = false;
      req.resume();
    }
  }

  private startBody(): void {
    const replay = this.ctx!.replayBody;
    if (replay !== undefined) {
      // A middleware read the body already (so that it can be sent again): send its copy.
      if (replay.length > 0) this.onReqData(replay);
      this.onReqEnd();
      return;
    }
    const req = this.ctx!.req;
    if (req.readableEnded) {
      this.onReqEnd();
      return;
    }
    req.on('data', this.onReqData);
    req.on('end', this.onReqEnd);
  }

  private readonly onReqData = (chunk: Buffer): void => {
    this.bodyStarted = true;
    const socket = this.socket;
    let ok: boolean;
    if (this.chunked) {
      if (chunk.length === 0) return;
      socket.cork();
      socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
      socket.write(chunk);
      ok = socket.write('\r\n', 'latin1');
      socket.uncork();
    } else {
      ok = socket.write(chunk);
    }
    if (!ok && !this.reqPaused) {
      this.reqPaused = true;
      this.ctx!.req.pause();
    }
  };

  private readonly onReqEnd = (): void => {
    const ctx = this.ctx;
    if (ctx !== undefined && ctx.replayBody === undefined && bodyCut(ctx.req)) {
      // The client left mid-body: never finish the request (no last chunk, no reuse of the socket).
      this.onRequestCut();
      return;
    }
    if (this.chunked) this.socket.write('0\r\n\r\n', 'latin1');
    this.detachRequest();
    this.afterRequestWritten();
  };

  private readonly onSocketDrain = (): void => {
    if (this.reqPaused && this.ctx) {
      this.reqPaused = false;
      this.ctx.req.resume();
    }
  };

  private readonly onContinueTimeout = (): void => {
    this.continueTimer = undefined;
    if (this.ctx && !this.bodyStarted && !this.headSent) this.beginContinue();
  };
}
