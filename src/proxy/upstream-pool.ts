import net from 'node:net';
import tls from 'node:tls';
import { UpstreamConnection } from './upstream-connection.js';

/** Settings of one pool: one upstream origin reached through one serversTransport. */
export interface PoolOptions {
  readonly protocol: 'http:' | 'https:';
  /** Hostname or IP to dial (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  /** Idle connections kept; < 0 disables reuse (every connection closes after one exchange). */
  readonly maxIdle: number;
  /** Idle connections older than this are closed; 0 = never. */
  readonly idleTimeoutMs: number;
  /** Connect (and TLS handshake) deadline; 0 = none. */
  readonly dialTimeoutMs: number;
  /** Deadline for the response head once the request was written; 0 = none. */
  readonly responseHeaderTimeoutMs: number;
  /** TLS client options for https:// (servername, ca, cert/key, versions, rejectUnauthorized). */
  readonly tls: tls.ConnectionOptions | undefined;
}

/**
 * Keep-alive connections to one upstream origin. Idle connections are a LIFO stack (the warmest is
 * reused first, the coldest age out); there is no cap on connections in use. An idle connection that the
 * server closes leaves the stack at once; a periodic sweep closes those idle longer than
 * `idleTimeoutMs`, so the request path never arms a timer.
 */
export class UpstreamPool {
  private readonly idle: UpstreamConnection[] = [];
  private sweeper: NodeJS.Timeout | undefined;
  private tlsSession: Buffer | undefined;
  /** Set when a newer configuration no longer uses this pool: connections close after their exchange. */
  closed = false;
  /** Connections currently open (idle or busy), for tests and metrics. */
  open = 0;

  constructor(readonly options: PoolOptions) {}

  /** An idle connection (reused) or a new one. */
  acquire(): UpstreamConnection {
    return this.idle.pop() ?? this.connect();
  }

  /** A new connection, whatever is idle (upgrades, the stale keep-alive retry). */
  connect(): UpstreamConnection {
    const o = this.options;
    let socket: net.Socket;
    if (o.protocol === 'https:') {
      const tlsSocket = tls.connect({ ...o.tls, host: o.host, port: o.port, session: this.tlsSession });
      tlsSocket.on('session', (session: Buffer) => {
        this.tlsSession = session;
      });
      tlsSocket.setNoDelay(true);
      tlsSocket.setKeepAlive(true, 30_000);
      socket = tlsSocket;
    } else {
      socket = net.connect({
        host: o.host,
        port: o.port,
        noDelay: true,
        keepAlive: true,
        keepAliveInitialDelay: 30_000,
      });
    }
    this.open++;
    return new UpstreamConnection(this, socket, o.protocol === 'https:');
  }

  /** Takes a connection back after a clean exchange (or closes it when the pool is full or closed). */
  release(conn: UpstreamConnection): void {
    if (this.closed || this.idle.length >= this.options.maxIdle) {
      conn.destroy();
      return;
    }
    conn.idleSince = Date.now();
    this.idle.push(conn);
    if (this.sweeper === undefined && this.options.idleTimeoutMs > 0) {
      const every = Math.max(250, Math.min(this.options.idleTimeoutMs / 2, 30_000));
      this.sweeper = setInterval(() => this.sweep(), every);
      this.sweeper.unref();
    }
  }

  /** Forgets a connection that closed (idle or not). */
  forget(conn: UpstreamConnection): void {
    const i = this.idle.lastIndexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
  }

  /** Number of idle connections. */
  get idleCount(): number {
    return this.idle.length;
  }

  /** Closes the idle connections that outlived `idleTimeoutMs` (oldest sit at the bottom of the stack). */
  sweep(now = Date.now()): void {
    const limit = now - this.options.idleTimeoutMs;
    let n = 0;
    while (n < this.idle.length && this.idle[n]!.idleSince <= limit) n++;
    if (n === 0) return;
    for (const conn of this.idle.splice(0, n)) conn.destroy();
    if (this.idle.length === 0) this.stopSweeper();
  }

  /** Closes idle connections now; busy ones close when their exchange ends. */
  close(): void {
    this.closed = true;
    this.stopSweeper();
    for (const conn of this.idle.splice(0)) conn.destroy();
  }

  private stopSweeper(): void {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
