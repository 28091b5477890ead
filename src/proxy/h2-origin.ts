import http2, { type ClientHttp2Session } from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { BAD_GATEWAY, GATEWAY_TIMEOUT, proxyLogger } from './exchange-end.js';

/** Settings of one HTTP/2 origin: one server reached through one serversTransport. */
export interface H2OriginOptions {
  /** `h2c` (cleartext, prior knowledge) or `https` (TLS, HTTP/2 only if the server picks `h2` by ALPN). */
  readonly scheme: 'h2c' | 'https';
  readonly host: string;
  readonly port: number;
  /** TLS client options (https only); ALPN is set here. */
  readonly tls: tls.ConnectionOptions | undefined;
  readonly dialTimeoutMs: number;
  readonly responseHeaderTimeoutMs: number;
  /** A session without any frame for this long is closed; 0 = never. */
  readonly idleTimeoutMs: number;
  /** PING the session this often; 0 = never. */
  readonly readIdleTimeoutMs: number;
  /** A PING unanswered for this long closes the session. */
  readonly pingTimeoutMs: number;
}

/** Why no session could be had: the status to answer with and a reason for the log. */
export interface H2DialError {
  status: number;
  reason: string;
  err?: Error;
}

/** Called with a session, with `undefined` when the server chose HTTP/1.1 by ALPN, or with an error. */
export type SessionCallback = (
  error: H2DialError | undefined,
  session: ClientHttp2Session | undefined,
) => void;

/**
 * One HTTP/2 session to one origin, shared by all requests. A session that closes, fails or receives
 * GOAWAY is dropped (streams in flight finish or fail on their own) and the next request dials a new
 * one. For `https`, the first dial also learns the server's ALPN choice: when it is not `h2`, the
 * origin remembers that (`http1 = true`) and requests go to the HTTP/1.1 pool from then on.
 */
export class H2Origin {
  /** The server answered ALPN without `h2`: use HTTP/1.1 for this origin. */
  http1 = false;
  closed = false;
  private session: ClientHttp2Session | undefined;
  private waiters: SessionCallback[] | undefined;

  constructor(readonly options: H2OriginOptions) {}

  /** Hands a live session to `cb` (at once when one is up), dialling if needed. */
  get(cb: SessionCallback): void {
    const s = this.session;
    if (s !== undefined && !s.closed && !s.destroyed) {
      cb(undefined, s);
      return;
    }
    this.session = undefined;
    if (this.http1) {
      cb(undefined, undefined);
      return;
    }
    if (this.waiters !== undefined) {
      this.waiters.push(cb);
      return;
    }
    this.waiters = [cb];
    this.dial();
  }

  /** Closes the session gracefully (streams in flight finish); no new one is dialled after this. */
  close(): void {
    this.closed = true;
    this.session?.close();
    this.session = undefined;
  }

  private dial(): void {
    const o = this.options;
    let socket: net.Socket;
    if (o.scheme === 'https') {
      socket = tls.connect({ ...o.tls, ALPNProtocols: ['h2', 'http/1.1'], host: o.host, port: o.port });
    } else {
      socket = net.connect({ host: o.host, port: o.port, noDelay: true });
    }
    let timer: NodeJS.Timeout | undefined;
    const fail = (e: H2DialError): void => {
      clearTimeout(timer);
      socket.destroy();
      this.settle(e, undefined);
    };
    if (o.dialTimeoutMs > 0)
      timer = setTimeout(() => fail({ status: GATEWAY_TIMEOUT, reason: 'dial timeout' }), o.dialTimeoutMs);
    socket.once('error', (err: NodeJS.ErrnoException) =>
      fail({ status: BAD_GATEWAY, reason: `${err.code ?? 'error'}: ${err.message}`, err }),
    );
    socket.once(o.scheme === 'https' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      if (o.scheme === 'https' && (socket as tls.TLSSocket).alpnProtocol !== 'h2') {
        this.http1 = true;
        socket.destroy();
        this.settle(undefined, undefined);
        return;
      }
      socket.removeAllListeners('error');
      const session = this.open(socket);
      this.settle(undefined, session);
      // Swept while dialling: the waiting requests run on this session, no later one.
      if (this.closed) session.close();
    });
  }

  private open(socket: net.Socket): ClientHttp2Session {
    const o = this.options;
    const authority = `${o.scheme === 'https' ? 'https' : 'http'}://${net.isIPv6(o.host) ? `[${o.host}]` : o.host}:${o.port}`;
    const session = http2.connect(authority, { createConnection: () => socket });
    if (!this.closed) this.session = session;
    const drop = (): void => {
      if (this.session === session) this.session = undefined;
    };
    session.on('goaway', drop);
    session.on('error', (err) => {
      drop();
      if (proxyLogger.enabled('DEBUG')) {
        proxyLogger.debug('upstream HTTP/2 session failed', { server: authority, error: err.message });
      }
    });
    if (o.idleTimeoutMs > 0) session.setTimeout(o.idleTimeoutMs, () => session.close());
    let pinger: NodeJS.Timeout | undefined;
    if (o.readIdleTimeoutMs > 0) pinger = this.startPings(session, drop);
    session.on('close', () => {
      drop();
      if (pinger !== undefined) clearInterval(pinger);
    });
    return session;
  }

  /** Sends a PING every `readIdleTimeoutMs`; one not answered within `pingTimeoutMs` kills the session. */
  private startPings(session: ClientHttp2Session, drop: () => void): NodeJS.Timeout {
    const o = this.options;
    const pinger = setInterval(() => {
      if (session.destroyed) return;
      const deadline = setTimeout(() => {
        drop();
        session.destroy(new Error('PING not answered'));
      }, o.pingTimeoutMs);
      deadline.unref();
      try {
        session.ping(() => clearTimeout(deadline));
      } catch {
        clearTimeout(deadline);
      }
    }, o.readIdleTimeoutMs);
    pinger.unref();
    return pinger;
  }

  private settle(error: H2DialError | undefined, session: ClientHttp2Session | undefined): void {
    const waiters = this.waiters ?? [];
    this.waiters = undefined;
    for (const cb of waiters) cb(error, session);
  }
}
