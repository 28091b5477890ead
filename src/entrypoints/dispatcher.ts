import type { Socket } from 'node:net';
import tls, { type SecureContext, type TlsOptions } from 'node:tls';
import type { Logger } from '../core/logger.js';
import type { TcpRoutingTable, TlsTarget } from '../graph/build-tcp.js';
import type { TcpMatchFacts } from '../router/tcp/matchers.js';
import { parseClientHello } from './client-hello.js';
import { type IncomingConnection, type PreDispatchStage, socketFacts } from './connection-facts.js';
import { Peeker } from './peeker.js';

const TLS_HANDSHAKE = 0x16;
const SSL2_HELLO = 0x80;
const ACME_TLS_ALPN = 'acme-tls/1';

/** Where the dispatcher sends connections that no TCP router takes. */
export interface HttpTargets {
  http(socket: Socket): void;
  https(socket: Socket): void;
}

export interface DispatcherOptions {
  entryPoint: string;
  /** `respondingTimeouts.readTimeout`: bound from accept to the decision; 0 = unbounded (as Traefik). */
  peekTimeoutMs: number;
  /** Run in order before any peek (PROXY protocol, original destination). */
  stages?: readonly PreDispatchStage[];
}

/**
 * The connection dispatcher of one entrypoint (docs/design/connection-layer.md): runs the pre-dispatch
 * stages, peeks what the routing needs and hands the connection to a TCP router (plain or TLS, passthrough
 * or terminated) or to the HTTP servers, in Traefik's order. Each connection uses the table current when
 * it was accepted; `setTable` swaps it for new connections only.
 */
export class ConnectionDispatcher {
  private table: TcpRoutingTable | undefined;
  private secureContext: SecureContext | undefined;
  private tlsOptions: TlsOptions = {};
  private readonly stages: PreDispatchStage[];

  constructor(
    private readonly options: DispatcherOptions,
    private readonly http: HttpTargets,
    private readonly logger: Logger,
  ) {
    this.stages = [...(options.stages ?? [])];
  }

  setTable(table: TcpRoutingTable | undefined): void {
    this.table = table;
  }

  /** The TLS settings for TCP routers that terminate TLS (the entrypoint's current certificates). */
  setTls(options: TlsOptions): void {
    this.tlsOptions = options;
    this.secureContext = undefined;
  }

  /** Adds a pre-dispatch stage (PROXY protocol reading, original destination lookup). */
  addStage(stage: PreDispatchStage): void {
    this.stages.push(stage);
  }

  dispatch(socket: Socket): void {
    const table = this.table;
    const facts = socketFacts(this.options.entryPoint, socket);
    const conn: IncomingConnection = { socket, facts, peeker: new Peeker(socket) };
    // Traefik's early path: only plain TCP routes here, so a catch-all takes the connection before any
    // byte arrives (server-first protocols such as SMTP).
    if (this.stages.length === 0 && this.fastPath(conn, table)) return;
    let timer: NodeJS.Timeout | undefined;
    if (this.options.peekTimeoutMs > 0) {
      timer = setTimeout(() => {
        this.log(conn, 'connection closed: nothing routable received within readTimeout', {
          timeoutMs: this.options.peekTimeoutMs,
        });
        socket.destroy();
      }, this.options.peekTimeoutMs);
      timer.unref();
    }
    const clear = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    };
    socket.once('close', clear);
    this.route(conn, table, clear).catch((err: Error) => {
      clear();
      this.log(conn, 'connection closed: dispatch failed', { error: err.message });
      socket.destroy();
    });
  }

  private fastPath(conn: IncomingConnection, table: TcpRoutingTable | undefined): boolean {
    if (!table || table.plain.size === 0 || table.tls.size > 0 || table.https.routes > 0) return false;
    const route = table.plain.match(matchFacts(conn, ''));
    if (!route) return false;
    conn.socket.setKeepAlive(true, 15_000);
    route.handler({ socket: conn.socket, facts: conn.facts });
    return true;
  }

  private async route(conn: IncomingConnection, table: TcpRoutingTable | undefined, clear: () => void) {
    const { socket, peeker } = conn;
    for (const stage of this.stages) {
      if (!(await stage.run(conn)) || socket.destroyed) return;
    }
    if (this.stages.length > 0 && this.fastPath(conn, table)) return clear();
    const first = await peeker.need(1);
    if (socket.destroyed) return;
    if (first.length === 0) {
      socket.destroy();
      return;
    }
    if (first[0] === SSL2_HELLO) return this.toHttp(conn, 'https', clear);
    if (first[0] !== TLS_HANDSHAKE) {
      const route = table?.plain.match(matchFacts(conn, ''));
      if (route) return this.toTcp(conn, route.handler, clear);
      return this.toHttp(conn, 'http', clear);
    }
    for (;;) {
      const r = parseClientHello(peeker.bytes);
      if (r.kind === 'invalid') {
        this.log(conn, `connection closed: ${r.reason}`, {});
        socket.destroy();
        return;
      }
      if (r.kind === 'hello') {
        conn.facts.tls = r.facts;
        break;
      }
      const got = await peeker.need(r.bytes);
      if (socket.destroyed) return;
      if (got.length < r.bytes) {
        this.log(
          conn,
          'connection closed: truncated ClientHello (the client ended before sending all of it)',
          {
            received: got.length,
          },
        );
        socket.destroy();
        return;
      }
    }
    const sni = conn.facts.tls.serverName;
    if (!table || conn.facts.tls.alpn.includes(ACME_TLS_ALPN)) return this.toHttp(conn, 'https', clear);
    if (table.https.claims(sni)) return this.toHttp(conn, 'https', clear);
    const route = table.tls.match(matchFacts(conn, sni));
    if (route && !route.rule.catchAll) return this.toTls(conn, route.handler, clear);
    if (table.https.catchAll || !route) return this.toHttp(conn, 'https', clear);
    return this.toTls(conn, route.handler, clear);
  }

  private toHttp(conn: IncomingConnection, scheme: 'http' | 'https', clear: () => void): void {
    clear();
    const { leftover } = conn.peeker.release();
    if (leftover) {
      // The client sent a request and ended before it was routed: nothing can answer a closed reader.
      conn.socket.destroy();
      return;
    }
    this.http[scheme](conn.socket);
  }

  private toTcp(conn: IncomingConnection, handler: TlsTarget['handler'], clear: () => void): void {
    clear();
    const { leftover } = conn.peeker.release();
    conn.socket.setKeepAlive(true, 15_000);
    handler({ socket: conn.socket, facts: conn.facts, leftover });
  }

  private toTls(conn: IncomingConnection, target: TlsTarget, clear: () => void): void {
    if (target.passthrough) {
      this.toTcp(conn, target.handler, clear);
      return;
    }
    const { leftover } = conn.peeker.release();
    if (leftover) {
      clear();
      conn.socket.destroy();
      return;
    }
    this.secureContext ??= tls.createSecureContext(this.tlsOptions);
    const { SNICallback, requestCert, rejectUnauthorized } = this.tlsOptions;
    // No ALPN list: a TCP client offering its own protocol (imap, postgresql…) must not be refused.
    const secure = new tls.TLSSocket(conn.socket, {
      isServer: true,
      secureContext: this.secureContext,
      ...(SNICallback ? { SNICallback } : {}),
      requestCert: requestCert ?? false,
      rejectUnauthorized: rejectUnauthorized ?? false,
    });
    let established = false;
    secure.on('error', (err) => {
      if (established) return; // the TCP pipe owns the socket and its errors now
      clear();
      this.log(conn, 'TLS handshake failed', { error: err.message });
      secure.destroy();
      conn.socket.destroy();
    });
    secure.once('secure', () => {
      established = true;
      clear();
      conn.socket.setKeepAlive(true, 15_000);
      target.handler({ socket: secure, facts: conn.facts });
    });
  }

  private log(conn: IncomingConnection, message: string, extra: Record<string, unknown>): void {
    this.logger.debug(message, {
      entryPoint: this.options.entryPoint,
      client: `${conn.facts.clientAddress}:${conn.facts.clientPort}`,
      ...extra,
    });
  }
}

function matchFacts(conn: IncomingConnection, host: string): TcpMatchFacts {
  return { host, clientIp: conn.facts.clientAddress, alpn: conn.facts.tls?.alpn ?? [] };
}
