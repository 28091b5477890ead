import diagnostics from 'node:diagnostics_channel';
import { once } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import net, { type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { SwitchyardError } from '../core/errors.js';
import type {
  DownstreamProtocol,
  DownstreamRequest,
  DownstreamResponse,
  HttpContext,
  HttpHandler,
} from '../core/http-context.js';
import type { Logger } from '../core/logger.js';
import type { TcpRoutingTable } from '../graph/build-tcp.js';
import { type TlsRouting, TlsTerminator } from '../tls/index.js';
import { parseAddress } from './address.js';
import { Http1Responses } from './client-error.js';
import { ConnectionDispatcher } from './dispatcher.js';
import { runHandler } from './error-path.js';
import { HTTP2 } from './h2-adapter.js';
import { H2Sessions } from './h2-sessions.js';
import { HTTP1 } from './http1-adapter.js';
import { createContext, refuseRequest, sanitizePath } from './request-context.js';

export interface EntryPointOptions {
  name: string;
  address: string;
  readTimeoutMs: number;
  writeTimeoutMs: number;
  idleTimeoutMs: number;
  maxHeaderBytes: number;
  requestAcceptGraceTimeoutMs: number;
  graceTimeOutMs: number;
  sanitizePath: boolean;
  /** Runs first on every request (forwarded-header trust); may be undefined. */
  prepare?: (ctx: HttpContext) => void;
  /** Run in order on each accepted connection before its protocol is detected (PROXY header…). */
  stages?: readonly ConnectionStage[];
  /** Protocol detection on transparent entrypoints (see `DispatcherOptions.detectTimeoutMs`). */
  detectTimeoutMs?: number | undefined;
  /** The entrypoint's `http2` section; HTTP/2 is served with Traefik's defaults when absent. */
  http2?: {
    maxConcurrentStreams: number;
    maxDecoderHeaderTableSize: number;
    maxEncoderHeaderTableSize: number;
  };
  /** Called once the listener is bound (socket options such as IP_TRANSPARENT); may throw. */
  onListening?: (listener: net.Server) => void;
}

/**
 * A pre-dispatch step on an accepted connection (read a PROXY header, look up the original destination):
 * it records what it learns in the connection's facts (src/connection/connection-facts.ts), then calls
 * `next`, or logs and destroys the socket.
 */
export type ConnectionStage = (socket: Socket, next: () => void, logger: Logger) => void;

/** The handlers of one configuration generation for this entrypoint: plain HTTP and TLS routers. */
export interface EntryPointHandlers {
  http: HttpHandler;
  https: HttpHandler;
}

/** Published with the `HttpContext` once a request's context exists, before any handler runs. */
export const HTTP_REQUEST_START_CHANNEL = 'switchyard:http.request.start';
/** Published with the `HttpContext` when the response (or upgraded socket) has closed. */
export const HTTP_REQUEST_END_CHANNEL = 'switchyard:http.request.end';
/** Published with a `ConnectionEvent` when a TCP connection is accepted and when it closes. */
export const CONNECTION_OPEN_CHANNEL = 'switchyard:connection.open';
export const CONNECTION_CLOSE_CHANNEL = 'switchyard:connection.close';

/** The message of the connection channels. */
export interface ConnectionEvent {
  readonly entryPoint: string;
  readonly socket: Socket;
}

// Observability subscribes to these; with no subscriber publishing costs one property read.
const requestStart = diagnostics.channel(HTTP_REQUEST_START_CHANNEL);
const requestEnd = diagnostics.channel(HTTP_REQUEST_END_CHANNEL);
const connectionOpen = diagnostics.channel(CONNECTION_OPEN_CHANNEL);
const connectionClose = diagnostics.channel(CONNECTION_CLOSE_CHANNEL);

/**
 * One listening socket serving plain HTTP and HTTPS on the same port (the first byte tells a TLS
 * ClientHello apart), like Traefik's entrypoints. The handlers are swapped atomically on reload: a request
 * runs to completion on the generation it started on.
 */
export class HttpEntryPoint {
  /** The handlers serving new requests, with the count of requests running on them. */
  private current: HandlerSlot;
  private readonly listener: net.Server;
  private readonly plain: http.Server;
  /** Serves HTTP on TLS sockets once `tls` has completed their handshake. */
  private readonly secure: http.Server;
  private tls: TlsTerminator | undefined;
  /** HTTP/2 connections: ALPN `h2` on TLS, the preface on plain connections. */
  private readonly h2: H2Sessions;
  private inFlight = 0;
  private terminating = false;
  private drained: (() => void) | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly http1 = new Http1Responses();
  private readonly stageLogger: Logger;
  /** Decides per connection: a TCP router, TLS then a TCP router, or the HTTP servers. */
  readonly dispatcher: ConnectionDispatcher;
  boundPort = 0;

  constructor(
    readonly options: EntryPointOptions,
    private readonly logger: Logger,
    initial: EntryPointHandlers,
  ) {
    this.current = { handlers: initial, inFlight: 0, drained: undefined };
    this.stageLogger = logger.child({ entryPoint: options.name });
    const serverOpts: http.ServerOptions = {
      maxHeaderSize: options.maxHeaderBytes,
      requestTimeout: options.readTimeoutMs,
      headersTimeout: options.readTimeoutMs === 0 ? 60_000 : Math.min(options.readTimeoutMs, 60_000),
      keepAliveTimeout: options.idleTimeoutMs,
      connectionsCheckingInterval: 1_000,
      noDelay: true,
    };
    this.plain = http.createServer(serverOpts);
    this.secure = http.createServer(serverOpts);
    for (const [server, scheme] of [
      [this.plain, 'http'],
      [this.secure, 'https'],
    ] as const) {
      server.on('request', (req, res) => this.onRequest(req, res, scheme, HTTP1));
      server.on('checkContinue', (req, res) => this.onRequest(req, res, scheme, HTTP1));
      server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head, scheme));
      // No tunnel from an HTTP entrypoint (TCP routers open those): 405 once earlier answers are out.
      server.on('connect', (_req, socket: Duplex) => {
        socket.on('error', () => {});
        this.http1.answerAfterPending(socket, 405);
      });
      server.on('clientError', (err, socket) => this.onClientError(err as NodeJS.ErrnoException, socket));
    }
    this.h2 = new H2Sessions(
      {
        maxConcurrentStreams: options.http2?.maxConcurrentStreams ?? 250,
        maxDecoderHeaderTableSize: options.http2?.maxDecoderHeaderTableSize ?? 4096,
        maxEncoderHeaderTableSize: options.http2?.maxEncoderHeaderTableSize ?? 4096,
        maxHeaderBytes: options.maxHeaderBytes,
        idleTimeoutMs: options.idleTimeoutMs,
      },
      (req, res, scheme) => this.onRequest(req, res, scheme, HTTP2),
      logger.child({ entryPoint: options.name, component: 'http2' }),
    );
    this.dispatcher = new ConnectionDispatcher(
      {
        entryPoint: options.name,
        peekTimeoutMs: options.readTimeoutMs,
        detectTimeoutMs: options.detectTimeoutMs,
      },
      {
        http: (socket) => this.plain.emit('connection', socket),
        h2c: (socket) => this.h2.accept(socket, 'http'),
        https: (socket, first) => {
          if (this.tls) this.tls.accept(socket, first);
          else socket.destroy();
        },
      },
      logger.child({ component: 'dispatcher' }),
    );
    // Half-open like node's own HTTP servers, so a TCP client's FIN does not close the way back.
    this.listener = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) =>
      this.onConnection(socket),
    );
  }

  get name(): string {
    return this.options.name;
  }

  /** The bound address once listening (the real port when the address asked for port 0). */
  get boundAddress(): net.AddressInfo | undefined {
    return (this.listener.address() as net.AddressInfo | null) ?? undefined;
  }

  /**
   * Replaces the TLS settings (certificates and options chosen per server name) for new handshakes;
   * established connections keep theirs. Until the first call, TLS connections are closed.
   */
  setTls(routing: TlsRouting): void {
    const helloTimeoutMs = this.options.readTimeoutMs > 0 ? this.options.readTimeoutMs : 60_000;
    const onSecure = (s: TLSSocket) => {
      if (s.alpnProtocol === 'h2') this.h2.accept(s, 'https');
      else this.secure.emit('connection', s);
    };
    this.tls = new TlsTerminator(routing, onSecure, this.logger, {
      helloTimeoutMs,
    });
    this.dispatcher.setTls(routing);
  }

  /**
   * Replaces the handlers and the TCP routing table; requests and TCP connections already running finish
   * on the old ones. Resolves once no request runs on the replaced handlers any more (their generation
   * has drained, so the state it holds may be released).
   */
  swap(handlers: EntryPointHandlers, tcp?: TcpRoutingTable): Promise<void> {
    const old = this.current;
    this.current = { handlers, inFlight: 0, drained: undefined };
    this.dispatcher.setTable(tcp);
    if (old.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      old.drained = resolve;
    });
  }

  async listen(): Promise<void> {
    const { host, port, protocol } = parseAddress(this.options.address);
    if (protocol !== 'tcp') {
      throw new SwitchyardError(
        'LISTEN_FAILED',
        `entrypoint ${this.name}: UDP entrypoints are not served yet`,
      );
    }
    this.listener.listen({ host, port });
    try {
      await once(this.listener, 'listening');
    } catch (err) {
      throw new SwitchyardError(
        'LISTEN_FAILED',
        `entrypoint ${this.name} cannot listen on ${this.options.address}`,
        {
          cause: err,
        },
      );
    }
    try {
      this.options.onListening?.(this.listener);
    } catch (err) {
      this.listener.close();
      throw err;
    }
    // The http servers never listen themselves; 'listening' starts their connection tracking (timeouts).
    this.plain.emit('listening');
    this.secure.emit('listening');
    const addr = this.listener.address() as net.AddressInfo;
    this.boundPort = addr.port;
    this.logger.info('entrypoint listening', {
      entryPoint: this.name,
      address: `${addr.address}:${addr.port}`,
    });
  }

  get isTerminating(): boolean {
    return this.terminating;
  }

  /**
   * Graceful stop: keep accepting for requestAcceptGraceTimeout, then stop accepting, let in-flight
   * requests finish for up to graceTimeOut, then close what is left.
   */
  async shutdown(): Promise<void> {
    this.terminating = true;
    this.http1.closeAfterResponses();
    if (this.options.requestAcceptGraceTimeoutMs > 0) await delay(this.options.requestAcceptGraceTimeoutMs);
    this.listener.close();
    this.plain.closeIdleConnections();
    this.secure.closeIdleConnections();
    this.h2.closeAll();
    if (this.inFlight > 0) {
      const done = new Promise<void>((resolve) => {
        this.drained = resolve;
      });
      await Promise.race([done, delay(this.options.graceTimeOutMs)]);
    }
    for (const socket of this.sockets) socket.destroy();
    this.plain.close();
    this.secure.close();
  }

  private onConnection(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (connectionClose.hasSubscribers) connectionClose.publish({ entryPoint: this.name, socket });
    });
    if (connectionOpen.hasSubscribers) connectionOpen.publish({ entryPoint: this.name, socket });
    socket.on('error', () => {});
    const stages = this.options.stages;
    if (stages === undefined || stages.length === 0) this.dispatcher.dispatch(socket);
    else this.runStages(socket, stages, 0);
  }

  private runStages(socket: Socket, stages: readonly ConnectionStage[], at: number): void {
    if (at === stages.length) {
      this.dispatcher.dispatch(socket);
      return;
    }
    try {
      stages[at]!(socket, () => this.runStages(socket, stages, at + 1), this.stageLogger);
    } catch (err) {
      this.logger.error('connection stage failed', { error: err as Error, entryPoint: this.name });
      socket.destroy();
    }
  }

  private onRequest(
    req: DownstreamRequest,
    res: DownstreamResponse,
    scheme: 'http' | 'https',
    protocol: DownstreamProtocol,
  ): void {
    this.inFlight++;
    const slot = this.current;
    slot.inFlight++;
    if (protocol === HTTP1) this.http1.track(req.socket, res as http.ServerResponse);
    let ctx: HttpContext | undefined;
    res.once('close', () => {
      this.requestDone(slot);
      if (ctx !== undefined && requestEnd.hasSubscribers) requestEnd.publish(ctx);
    });
    ctx = this.makeContext(req, res, scheme, protocol);
    if (!ctx) return;
    if (this.terminating) protocol.closeAfterResponse(ctx);
    if (this.options.writeTimeoutMs > 0) {
      const timer = setTimeout(() => res.destroy(), this.options.writeTimeoutMs);
      res.once('close', () => clearTimeout(timer));
    }
    this.dispatch(ctx, scheme, slot.handlers);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, scheme: 'http' | 'https'): void {
    socket.on('error', () => {});
    this.inFlight++;
    const slot = this.current;
    slot.inFlight++;
    let ctx: HttpContext | undefined;
    socket.once('close', () => {
      this.requestDone(slot);
      if (ctx !== undefined && requestEnd.hasSubscribers) requestEnd.publish(ctx);
    });
    // A response object bound to the socket lets middlewares answer an upgrade request with an error.
    const res = new http.ServerResponse(req);
    res.assignSocket(socket as Socket);
    res.shouldKeepAlive = false;
    ctx = this.makeContext(req, res, scheme, HTTP1, { socket, head });
    if (ctx) this.dispatch(ctx, scheme, slot.handlers);
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
    const ctx = createContext(req, res, protocol, this.name, scheme, upgrade);
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

  private dispatch(
    ctx: ReturnType<typeof createContext>,
    scheme: 'http' | 'https',
    handlers: EntryPointHandlers,
  ): void {
    runHandler(scheme === 'https' ? handlers.https : handlers.http, ctx, this.logger);
  }

  private requestDone(slot: HandlerSlot): void {
    slot.inFlight--;
    if (slot.inFlight === 0 && slot.drained) slot.drained();
    this.inFlight--;
    if (this.inFlight === 0 && this.drained) this.drained();
  }

  private onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
    this.logger.debug('malformed request', { entryPoint: this.name, error: err.message, code: err.code });
    this.http1.answerClientError(err, socket);
  }
}

/** Handlers of one generation and the requests running on them. */
interface HandlerSlot {
  handlers: EntryPointHandlers;
  inFlight: number;
  /** Set once replaced while requests still ran: called when the last one ends. */
  drained: (() => void) | undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
