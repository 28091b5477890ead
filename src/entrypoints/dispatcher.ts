import type { Socket } from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../core/logger.js';
import type { TcpRoutingTable, TlsTarget } from '../graph/build-tcp.js';
import type { TcpMatchFacts } from '../router/tcp/matchers.js';
import { certificateFor, parseClientHello, type TlsRouting } from '../tls/index.js';
import { ACME_TLS_ALPN_PROTOCOL } from '../tls/terminator.js';
import { detectPlain, type PlainProtocol } from './detect.js';
import { Peeker } from './peeker.js';
import { type IncomingConnection, socketFacts } from './tcp-facts.js';

const TLS_HANDSHAKE = 0x16;
const SSL2_HELLO = 0x80;
/** The HTTP/2 connection preface: a plain connection opening with it speaks h2c (prior knowledge). */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Where the dispatcher sends connections that no TCP router takes. */
export interface HttpTargets {
  http(socket: Socket): void;
  /** A plain connection that opened with the HTTP/2 preface. */
  h2c(socket: Socket): void;
  /** `first`: the bytes already read off the socket (the ClientHello), for the TLS terminator. */
  https(socket: Socket, first: Buffer): void;
}

export interface DispatcherOptions {
  entryPoint: string;
  /** `respondingTimeouts.readTimeout`: bound from dispatch to the decision; 0 = unbounded (as Traefik). */
  peekTimeoutMs: number;
  /**
   * Transparent entrypoints (a Switchyard extension): plain HTTP/1 goes to the HTTP routers before the
   * plain TCP routes, and a client silent for this long goes to the plain TCP routes (server-first).
   */
  detectTimeoutMs?: number | undefined;
}

/**
 * The connection dispatcher of one entrypoint (docs/design/connection-layer.md). Called once the
 * pre-dispatch stages have run, it peeks what the routing needs and hands the connection to a TCP router
 * (plain, TLS passthrough or TLS terminated here) or to the HTTP side, in Traefik's order. Each connection
 * uses the table current when it arrived; `setTable` swaps it for new connections only.
 */
export class ConnectionDispatcher {
  private table: TcpRoutingTable | undefined;
  private routing: TlsRouting | undefined;

  constructor(
    private readonly options: DispatcherOptions,
    private readonly http: HttpTargets,
    private readonly logger: Logger,
  ) {}

  setTable(table: TcpRoutingTable | undefined): void {
    this.table = table;
  }

  /** The SNI → TLS settings of this generation, used by TCP routers that terminate TLS. */
  setTls(routing: TlsRouting): void {
    this.routing = routing;
  }

  dispatch(socket: Socket): void {
    if (socket.destroyed) return;
    const table = this.table;
    const conn: IncomingConnection = {
      socket,
      facts: socketFacts(this.options.entryPoint, socket),
      peeker: new Peeker(socket),
    };
    // Traefik's early path: only plain TCP routes here, so a catch-all takes the connection before any
    // byte arrives (server-first protocols such as SMTP).
    const detect = this.detects(table);
    if (table && !detect && table.plain.size > 0 && table.tls.size === 0 && table.https.routes === 0) {
      const route = table.plain.match(matchFacts(conn, ''));
      if (route) {
        socket.setKeepAlive(true, 15_000);
        route.handler({ socket, facts: conn.facts });
        return;
      }
    }
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
    this.route(conn, table, clear, detect).catch((err: Error) => {
      clear();
      this.log(conn, 'connection closed: dispatch failed', { error: err.message });
      socket.destroy();
    });
  }

  /** Protocol detection applies: a transparent entrypoint with both HTTP routers and plain TCP routes. */
  private detects(table: TcpRoutingTable | undefined): boolean {
    return !!this.options.detectTimeoutMs && !!table && table.plain.size > 0 && table.https.plainRoutes > 0;
  }

  private async route(
    conn: IncomingConnection,
    table: TcpRoutingTable | undefined,
    clear: () => void,
    detect: boolean,
  ) {
    const { socket, peeker } = conn;
    let plain: PlainProtocol | undefined;
    if (detect) {
      const found = await detectPlain(peeker, this.options.detectTimeoutMs!);
      if (socket.destroyed) return;
      const route = found === 'silent' ? table?.plain.match(matchFacts(conn, '')) : undefined;
      if (route) return this.toTcp(conn, route.handler, clear);
      if (found !== 'silent') plain = found;
    }
    const first = await peeker.need(1);
    if (socket.destroyed) return;
    if (first.length === 0) {
      socket.destroy();
      return;
    }
    if (first[0] === SSL2_HELLO) return this.toHttps(conn, clear); // the TLS layer refuses SSLv2 itself
    if (first[0] !== TLS_HANDSHAKE) {
      const route = plain === 'http1' ? undefined : table?.plain.match(matchFacts(conn, ''));
      if (route) return this.toTcp(conn, route.handler, clear);
      const h2c = first[0] === H2_PREFACE[0] && (await prefaced(peeker));
      if (socket.destroyed) return;
      clear();
      if (peeker.release().leftover)
        socket.destroy(); // a request and a FIN: nobody left to answer
      else if (h2c) this.http.h2c(socket);
      else this.http.http(socket);
      return;
    }
    for (;;) {
      const parsed = parseClientHello(peeker.bytes);
      if (parsed.state === 'invalid') {
        this.log(conn, `connection closed: ${parsed.reason}`, { received: peeker.bytes.length });
        socket.destroy();
        return;
      }
      if (parsed.state === 'complete') {
        const { serverName, alpnProtocols } = parsed.hello;
        conn.facts.tls = { serverName: normalizeSni(serverName), alpn: alpnProtocols };
        break;
      }
      const want = peeker.bytes.length + 1;
      const got = await peeker.need(want);
      if (socket.destroyed) return;
      if (got.length < want) {
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
    const { serverName: sni, alpn } = conn.facts.tls;
    if (!table || alpn.includes(ACME_TLS_ALPN_PROTOCOL)) return this.toHttps(conn, clear);
    if (table.https.claims(sni)) return this.toHttps(conn, clear);
    const route = table.tls.match(matchFacts(conn, sni));
    if (route && !route.rule.catchAll) return this.toTls(conn, route.handler, clear);
    if (table.https.catchAll || !route) return this.toHttps(conn, clear);
    return this.toTls(conn, route.handler, clear);
  }

  private toHttps(conn: IncomingConnection, clear: () => void): void {
    clear();
    const first = conn.peeker.take();
    if (first) this.http.https(conn.socket, first);
    else conn.socket.destroy();
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
    const { socket, facts } = conn;
    const sni = facts.tls?.serverName ?? '';
    // The router's own TLS options (Traefik's TLSHandler); the SNI table only without a TLS side.
    const choice =
      target.choice ??
      this.routing?.choose({ serverName: sni || undefined, alpnProtocols: facts.tls?.alpn ?? [] });
    const context = choice && certificateFor(choice, sni || undefined);
    if (!choice || !context || conn.peeker.release().leftover) {
      clear();
      this.log(conn, 'connection closed: no TLS settings for this server name', { serverName: sni });
      socket.destroy();
      return;
    }
    // The context chosen by SNI is the only certificate offered. No ALPN list: a TCP client offering its
    // own protocol (imap, postgresql…) must not be refused.
    const secure = new tls.TLSSocket(socket, {
      isServer: true,
      secureContext: context,
      requestCert: choice.options.requestCert,
      rejectUnauthorized: choice.options.rejectUnauthorized,
    });
    let established = false;
    secure.on('error', (err) => {
      if (established) return; // the TCP pipe owns the socket and its errors now
      clear();
      this.log(conn, 'TLS handshake failed', { error: err.message });
      secure.destroy();
      socket.destroy();
    });
    secure.once('secure', () => {
      established = true;
      clear();
      socket.setKeepAlive(true, 15_000);
      target.handler({ socket: secure, facts });
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

/**
 * Whether the connection opens with the HTTP/2 preface. Reads only while the bytes so far are a prefix of
 * it, so an HTTP/1 request (`POST`, `PUT`…) is told apart at its second or third byte.
 */
async function prefaced(peeker: Peeker): Promise<boolean> {
  for (;;) {
    const bytes = peeker.bytes;
    const n = Math.min(bytes.length, H2_PREFACE.length);
    if (bytes.compare(H2_PREFACE, 0, n, 0, n) !== 0) return false;
    if (n === H2_PREFACE.length) return true;
    if (peeker.isEnded) return false;
    await peeker.need(bytes.length + 1);
  }
}

/** SNI as routing compares it: lowercased, without a trailing dot; '' without SNI. */
function normalizeSni(name: string | undefined): string {
  return (name ?? '').toLowerCase().replace(/\.$/, '');
}

function matchFacts(conn: IncomingConnection, host: string): TcpMatchFacts {
  return { host, clientIp: conn.facts.clientAddress, alpn: conn.facts.tls?.alpn ?? [] };
}
