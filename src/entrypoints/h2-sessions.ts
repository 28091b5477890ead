import http2, {
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { DownstreamRequest, DownstreamResponse } from '../core/http-context.js';
import type { Logger } from '../core/logger.js';
import { adaptH2Request, H2ResponseWriter } from './h2-adapter.js';
import { H2Guard } from './h2-guard.js';
import { boundRequestBody } from './h2-stream-timeout.js';

/** The entrypoint's `http2` section (Traefik's keys) and the limits shared with HTTP/1. */
export interface H2Options {
  /** Streams a client may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS); 0 means Go's 250. */
  maxConcurrentStreams: number;
  /** Our HPACK decoder's dynamic table (SETTINGS_HEADER_TABLE_SIZE we advertise). */
  maxDecoderHeaderTableSize: number;
  /** Cap on the HPACK encoder's dynamic table, whatever the client allows. */
  maxEncoderHeaderTableSize: number;
  /** Decoded size of a header list (SETTINGS_MAX_HEADER_LIST_SIZE): the HPACK-bomb bound. */
  maxHeaderBytes: number;
  /** A connection without traffic for this long is closed with GOAWAY; 0 = never. */
  idleTimeoutMs: number;
  /** A request body must arrive within this long of its headers (per stream); 0 = no limit. */
  readTimeoutMs: number;
}

/** `tunnel`: the stream of a WebSocket opened by extended CONNECT (RFC 8441), carrying its frames. */
export type H2RequestListener = (
  req: DownstreamRequest,
  res: DownstreamResponse,
  scheme: 'http' | 'https',
  tunnel?: Duplex,
) => void;

/** Go's default for `MaxConcurrentStreams: 0`. */
const DEFAULT_STREAMS = 250;

/**
 * Serves HTTP/2 connections handed over by the entrypoint: TLS sockets whose ALPN chose `h2`, and plain
 * sockets that opened with the connection preface (h2c with prior knowledge). Node's nghttp2 session
 * enforces the protocol bounds (docs/http2.md, "Abuse"); these settings make them explicit.
 */
export class H2Sessions {
  private readonly servers: Record<'http' | 'https', http2.Http2Server>;
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly socketOf = new WeakMap<ServerHttp2Session, Socket>();
  /** The socket being handed over: node creates its session synchronously inside `emit('connection')`. */
  private accepting: Socket | undefined;
  private readonly guard: H2Guard;

  constructor(
    private readonly options: H2Options,
    onRequest: H2RequestListener,
    private readonly logger: Logger,
  ) {
    this.guard = new H2Guard(logger);
    const serverOptions: http2.ServerOptions = {
      maxDeflateDynamicTableSize: options.maxEncoderHeaderTableSize,
      maxSessionInvalidFrames: 100,
      maxSessionRejectedStreams: 100,
      maxOutstandingPings: 10,
      maxSettings: 32,
      settings: {
        maxConcurrentStreams: options.maxConcurrentStreams || DEFAULT_STREAMS,
        headerTableSize: options.maxDecoderHeaderTableSize,
        maxHeaderListSize: options.maxHeaderBytes,
        enablePush: false,
        // RFC 8441: WebSocket over HTTP/2, bridged to the server as an HTTP/1.1 upgrade.
        enableConnectProtocol: true,
      },
    };
    const make = (scheme: 'http' | 'https') => {
      const server = http2.createServer(serverOptions);
      const listener = (req: Http2ServerRequest, res: Http2ServerResponse) => {
        const socket = this.socketOf.get(req.stream.session as ServerHttp2Session);
        if (!socket) {
          res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
          return;
        }
        const writer = new H2ResponseWriter(res);
        boundRequestBody(req, writer, options.readTimeoutMs);
        onRequest(adaptH2Request(req, socket), writer.asResponse(), scheme);
      };
      server.on('request', listener);
      server.on('checkContinue', listener);
      server.on('connect', (req: Http2ServerRequest, res: Http2ServerResponse) => {
        const socket = this.socketOf.get(req.stream.session as ServerHttp2Session);
        if (!socket || req.headers[':protocol'] !== 'websocket') {
          // A plain CONNECT (or another protocol) is not proxied: node's answer without a listener.
          res.statusCode = 405;
          res.end();
          return;
        }
        req.stream.on('error', () => {});
        const writer = new H2ResponseWriter(res).asResponse();
        onRequest(adaptH2Request(req, socket, true), writer, scheme, req.stream);
      });
      server.on('session', (session: ServerHttp2Session) => this.onSession(session));
      return server;
    };
    this.servers = { http: make('http'), https: make('https') };
  }

  /** Serves `socket` (plain h2c, or TLS after ALPN `h2`) as an HTTP/2 connection. */
  accept(socket: Socket, scheme: 'http' | 'https'): void {
    this.accepting = socket;
    try {
      this.servers[scheme].emit('connection', socket);
    } finally {
      this.accepting = undefined;
    }
  }

  /** Graceful stop: GOAWAY on every connection; open streams finish. */
  closeAll(): void {
    for (const session of this.sessions) if (!session.closed) session.close();
  }

  private onSession(session: ServerHttp2Session): void {
    const socket = this.accepting;
    if (!socket) {
      session.destroy();
      return;
    }
    this.socketOf.set(session, socket);
    this.sessions.add(session);
    session.on('close', () => this.sessions.delete(session));
    this.guard.watch(session);
    session.on('error', (err: NodeJS.ErrnoException) => {
      this.logger.debug('HTTP/2 connection failed', {
        client: `${socket.remoteAddress}:${socket.remotePort}`,
        error: err.message,
        code: err.code,
      });
    });
    session.on('frameError', (type: number, code: number) => {
      this.logger.debug('HTTP/2 frame refused', { frameType: type, code });
    });
    if (this.options.idleTimeoutMs > 0) {
      session.setTimeout(this.options.idleTimeoutMs, () => session.close());
    }
  }
}
