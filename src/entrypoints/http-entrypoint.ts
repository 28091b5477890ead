import { once } from 'node:events';
import type http from 'node:http';
import net, { type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { SwitchyardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { TcpRoutingTable } from '../graph/build-tcp.js';
import { type TlsRouting, TlsTerminator } from '../tls/index.js';
import { parseAddress } from './address.js';
import { connectionClose, connectionOpen } from './channels.js';
import { Http1Responses } from './client-error.js';
import { ConnectionDispatcher } from './dispatcher.js';
import type { ConnectionStage, EntryPointHandlers, EntryPointOptions } from './entrypoint-types.js';
import { FAST_HTTP1, FastH1Server, fastPathEnabled } from './fast-h1/server.js';
import { HTTP2 } from './h2-adapter.js';
import { H2Sessions } from './h2-sessions.js';
import { HTTP1 } from './http1-adapter.js';
import { createHttp1Server, type Http1Listeners } from './http1-servers.js';
import { RequestIntake } from './request-intake.js';

export {
  CONNECTION_CLOSE_CHANNEL,
  CONNECTION_OPEN_CHANNEL,
  type ConnectionEvent,
  HTTP_REQUEST_END_CHANNEL,
  HTTP_REQUEST_START_CHANNEL,
} from './channels.js';
export type { ConnectionStage, EntryPointHandlers, EntryPointOptions } from './entrypoint-types.js';

/**
 * One listening socket serving plain HTTP and HTTPS on the same port (the first byte tells a TLS
 * ClientHello apart), like Traefik's entrypoints. The handlers are swapped atomically on reload: a request
 * runs to completion on the generation it started on (src/entrypoints/request-intake.ts).
 */
export class HttpEntryPoint {
  private readonly intake: RequestIntake;
  private readonly listener: net.Server;
  private readonly plain: http.Server;
  /** Serves HTTP on TLS sockets once `tls` has completed their handshake. */
  private readonly secure: http.Server;
  private tls: TlsTerminator | undefined;
  /** HTTP/2 connections: ALPN `h2` on TLS, the preface on plain connections. */
  private readonly h2: H2Sessions;
  /** HTTP/1 responses not finished yet, per connection (the client-error path and draining use them). */
  private readonly http1 = new Http1Responses();
  private readonly sockets = new Set<Socket>();
  /** The HTTP/1 fast path per scheme (docs/design/http1-fast-path.md); undefined when turned off. */
  private readonly fastPlain: FastH1Server | undefined;
  private readonly fastSecure: FastH1Server | undefined;
  private readonly stageLogger: Logger;
  /** Decides per connection: a TCP router, TLS then a TCP router, or the HTTP servers. */
  readonly dispatcher: ConnectionDispatcher;
  boundPort = 0;

  constructor(
    readonly options: EntryPointOptions,
    private readonly logger: Logger,
    initial: EntryPointHandlers,
  ) {
    this.intake = new RequestIntake(options, logger, initial);
    this.stageLogger = logger.child({ entryPoint: options.name });
    const http1: Http1Listeners = {
      request: (req, res, scheme) => this.intake.request(req, res, scheme, HTTP1),
      upgrade: (req, socket, head, scheme) => this.intake.upgrade(req, socket, head, scheme),
    };
    this.plain = createHttp1Server(options, 'http', http1, this.http1, logger);
    this.secure = createHttp1Server(options, 'https', http1, this.http1, logger);
    if (fastPathEnabled()) {
      this.fastPlain = new FastH1Server(
        options,
        (req, res) => this.intake.request(req.asRequest(), res.asResponse(), 'http', FAST_HTTP1),
        (socket) => this.plain.emit('connection', socket),
      );
      this.fastSecure = new FastH1Server(
        options,
        (req, res) => this.intake.request(req.asRequest(), res.asResponse(), 'https', FAST_HTTP1),
        (socket) => this.secure.emit('connection', socket),
      );
    }
    this.h2 = new H2Sessions(
      {
        maxConcurrentStreams: options.http2?.maxConcurrentStreams ?? 250,
        maxDecoderHeaderTableSize: options.http2?.maxDecoderHeaderTableSize ?? 4096,
        maxEncoderHeaderTableSize: options.http2?.maxEncoderHeaderTableSize ?? 4096,
        maxHeaderBytes: options.maxHeaderBytes,
        idleTimeoutMs: options.idleTimeoutMs,
        readTimeoutMs: options.readTimeoutMs,
      },
      (req, res, scheme, tunnel) => this.intake.request(req, res, scheme, HTTP2, tunnel),
      logger.child({ entryPoint: options.name, component: 'http2' }),
    );
    this.dispatcher = new ConnectionDispatcher(
      {
        entryPoint: options.name,
        peekTimeoutMs: options.readTimeoutMs,
        detectTimeoutMs: options.detectTimeoutMs,
      },
      {
        http: (socket) => {
          if (this.fastPlain) this.fastPlain.accept(socket);
          else this.plain.emit('connection', socket);
        },
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
      else if (this.fastSecure) this.fastSecure.accept(s);
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
    this.dispatcher.setTable(tcp);
    return this.intake.swap(handlers);
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
    return this.intake.terminating;
  }

  /**
   * Graceful stop: keep accepting for requestAcceptGraceTimeout, then stop accepting, let in-flight
   * requests finish for up to graceTimeOut, then close what is left.
   */
  async shutdown(): Promise<void> {
    this.intake.terminating = true;
    this.http1.closeAfterResponses();
    this.fastPlain?.closeAfterResponses();
    this.fastSecure?.closeAfterResponses();
    if (this.options.requestAcceptGraceTimeoutMs > 0) await delay(this.options.requestAcceptGraceTimeoutMs);
    this.listener.close();
    this.plain.closeIdleConnections();
    this.secure.closeIdleConnections();
    this.fastPlain?.closeIdleConnections();
    this.fastSecure?.closeIdleConnections();
    this.h2.closeAll();
    await Promise.race([this.intake.idle(), delay(this.options.graceTimeOutMs)]);
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
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
