import http, { type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type {
  DownstreamProtocol,
  DownstreamRequest,
  DownstreamResponse,
  HttpContext,
} from '../core/http-context.js';
import type { Logger } from '../core/logger.js';
import { requestEnd, requestStart } from './channels.js';
import type { EntryPointHandlers, EntryPointOptions } from './entrypoint-types.js';
import { runHandler } from './error-path.js';
import { HTTP1 } from './http1-adapter.js';
import { createContext, refuseRequest, sanitizePath } from './request-context.js';

const NO_BYTES = Buffer.alloc(0);

/** Handlers of one generation and the requests running on them. */
interface HandlerSlot {
  handlers: EntryPointHandlers;
  inFlight: number;
  /** Set once replaced while requests still ran: called when the last one ends. */
  drained: (() => void) | undefined;
}

/**
 * Where every request of an entrypoint enters, whatever its protocol: it gets its context, runs on the
 * handlers of the generation current when it started, and is counted until its response (or upgraded
 * socket) closes, per generation (reloads) and in all (graceful stop).
 */
export class RequestIntake {
  private current: HandlerSlot;
  private inFlight = 0;
  private drained: (() => void) | undefined;
  /** Set by a graceful stop: each response asks its connection to close after it. */
  terminating = false;

  constructor(
    private readonly options: EntryPointOptions,
    private readonly logger: Logger,
    initial: EntryPointHandlers,
  ) {
    this.current = { handlers: initial, inFlight: 0, drained: undefined };
  }

  /** New requests run on `handlers`; resolves once none runs on the replaced ones any more. */
  swap(handlers: EntryPointHandlers): Promise<void> {
    const old = this.current;
    this.current = { handlers, inFlight: 0, drained: undefined };
    if (old.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      old.drained = resolve;
    });
  }

  /** Resolves once no request runs (at once when none does). */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.drained = resolve;
    });
  }

  request(
    req: DownstreamRequest,
    res: DownstreamResponse,
    scheme: 'http' | 'https',
    protocol: DownstreamProtocol,
    tunnel?: Duplex,
  ): void {
    const slot = this.enter();
    let ctx: HttpContext | undefined;
    res.once('close', () => {
      this.leave(slot);
      if (ctx !== undefined && requestEnd.hasSubscribers) requestEnd.publish(ctx);
    });
    ctx = this.makeContext(req, res, scheme, protocol, tunnel && { socket: tunnel, head: NO_BYTES });
    if (!ctx) return;
    if (this.terminating) protocol.closeAfterResponse(ctx);
    // A WebSocket's stream lives as long as the conversation, as an HTTP/1 upgraded socket does.
    if (this.options.writeTimeoutMs > 0 && tunnel === undefined) {
      const timer = setTimeout(() => res.destroy(), this.options.writeTimeoutMs);
      res.once('close', () => clearTimeout(timer));
    }
    this.run(ctx, scheme, slot.handlers);
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, scheme: 'http' | 'https'): void {
    socket.on('error', () => {});
    const slot = this.enter();
    let ctx: HttpContext | undefined;
    socket.once('close', () => {
      this.leave(slot);
      if (ctx !== undefined && requestEnd.hasSubscribers) requestEnd.publish(ctx);
    });
    // A response object bound to the socket lets middlewares answer an upgrade request with an error.
    const res = new http.ServerResponse(req);
    res.assignSocket(socket as Socket);
    res.shouldKeepAlive = false;
    ctx = this.makeContext(req, res, scheme, HTTP1, { socket, head });
    if (ctx) this.run(ctx, scheme, slot.handlers);
  }

  private makeContext(
    req: DownstreamRequest,
    res: DownstreamResponse,
    scheme: 'http' | 'https',
    protocol: DownstreamProtocol,
    upgrade?: { socket: Duplex; head: Buffer },
  ) {
    req.on('error', () => {});
    res.on('error', () => {});
    const ctx = createContext(req, res, protocol, this.options.name, scheme, upgrade);
    if (refuseRequest(ctx)) return undefined;
    if (this.options.sanitizePath) {
      const clean = sanitizePath(ctx.path);
      if (clean !== ctx.path) {
        ctx.path = clean;
        req.url = clean + (ctx.rawQuery ? `?${ctx.rawQuery}` : '');
      }
    }
    this.options.prepare?.(ctx);
    if (requestStart.hasSubscribers) requestStart.publish(ctx);
    return ctx;
  }

  private run(ctx: HttpContext, scheme: 'http' | 'https', handlers: EntryPointHandlers): void {
    runHandler(scheme === 'https' ? handlers.https : handlers.http, ctx, this.logger);
  }

  private enter(): HandlerSlot {
    this.inFlight++;
    const slot = this.current;
    slot.inFlight++;
    return slot;
  }

  private leave(slot: HandlerSlot): void {
    slot.inFlight--;
    if (slot.inFlight === 0 && slot.drained) slot.drained();
    this.inFlight--;
    if (this.inFlight === 0 && this.drained) this.drained();
  }
}
