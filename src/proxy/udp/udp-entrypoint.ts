import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { isIPv6 } from 'node:net';
import type { Logger } from '../../core/logger.js';
import { parseAddress } from '../../entrypoints/address.js';
import { EMPTY_UDP_TABLE, type UdpTable } from './table.js';

/** Sessions one UDP entrypoint keeps at most by default (`udp.maxSessions`); further clients are dropped. */
export const MAX_UDP_SESSIONS = 4096;

/** Datagrams a session holds while its socket to the server connects (a name lookup may be slow). */
const MAX_PENDING = 64;

interface Session {
  upstream: Socket;
  server: string;
  timer: NodeJS.Timeout;
  /** Datagrams from the client waiting for the connect; `undefined` once connected. */
  pending: Buffer[] | undefined;
}

/** A UDP entrypoint: one session per client address, each with its own socket to the chosen server. */
export class UdpEntryPoint {
  private socket: Socket | undefined;
  private table: UdpTable = EMPTY_UDP_TABLE;
  private readonly sessions = new Map<string, Session>();
  private lastFullLog = 0;

  constructor(
    readonly name: string,
    private readonly address: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    private readonly maxSessions = MAX_UDP_SESSIONS,
  ) {}

  get boundAddress(): AddressInfo | undefined {
    return this.socket?.address();
  }

  /** New sessions follow the new table; live sessions stay on their server. */
  swap(table: UdpTable): void {
    this.table = table;
  }

  listen(): Promise<void> {
    const { host, port } = parseAddress(this.address);
    const socket = createSocket({ type: host && isIPv6(host) ? 'udp6' : 'udp4' });
    this.socket = socket;
    socket.on('message', (msg, rinfo) => this.onClient(msg, rinfo));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        socket.on('error', (err) =>
          this.logger.warn('udp entrypoint error', { entryPoint: this.name, error: err.message }),
        );
        const a = socket.address();
        this.logger.info('entrypoint listening', {
          entryPoint: this.name,
          address: `${a.address}:${a.port}/udp`,
        });
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const key of [...this.sessions.keys()]) this.end(key);
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private onClient(msg: Buffer, rinfo: RemoteInfo): void {
    const key = `${rinfo.address}:${rinfo.port}`;
    let session = this.sessions.get(key);
    if (!session) {
      if (this.sessions.size >= this.maxSessions) {
        this.logFull();
        return;
      }
      session = this.open(key, rinfo);
      if (!session) return;
    }
    session.timer.refresh();
    if (session.pending) {
      if (session.pending.length < MAX_PENDING) session.pending.push(msg);
      return;
    }
    session.upstream.send(msg);
  }

  private logFull(): void {
    const now = Date.now();
    if (now - this.lastFullLog <= 1_000) return;
    this.lastFullLog = now;
    this.logger.warn('udp session limit reached; dropping datagrams from new clients', {
      entryPoint: this.name,
      sessions: this.sessions.size,
      limit: this.maxSessions,
    });
  }

  /**
   * A session has its own socket connected to the server, so replies come back to this client and an
   * ICMP "port unreachable" from a server that is gone ends the session: the client's next datagram
   * opens a new session, which may pick another server.
   */
  private open(key: string, rinfo: RemoteInfo): Session | undefined {
    const server = this.table.pick();
    if (!server) {
      this.logger.debug('udp datagram dropped: no router or no server', { entryPoint: this.name });
      return undefined;
    }
    const { host, port } = splitHostPort(server);
    const upstream = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
    const timer = setTimeout(() => {
      this.logger.debug('udp session ended: idle', { entryPoint: this.name, client: key, server });
      this.end(key);
    }, this.timeoutMs);
    const session: Session = { upstream, server, timer, pending: [] };
    upstream.on('message', (reply) => {
      session.timer.refresh();
      this.socket?.send(reply, rinfo.port, rinfo.address);
    });
    upstream.on('error', (err) => {
      this.logger.debug('udp session ended: server error', {
        entryPoint: this.name,
        client: key,
        server,
        error: err.message,
      });
      this.end(key, session);
    });
    upstream.connect(port, host, () => {
      const pending = session.pending ?? [];
      session.pending = undefined;
      if (this.sessions.get(key) !== session) return;
      for (const datagram of pending) upstream.send(datagram);
    });
    this.sessions.set(key, session);
    return session;
  }

  private end(key: string, only?: Session): void {
    const session = this.sessions.get(key);
    if (!session || (only && session !== only)) {
      if (only) closeQuietly(only.upstream);
      return;
    }
    this.sessions.delete(key);
    clearTimeout(session.timer);
    closeQuietly(session.upstream);
  }
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // already closed
  }
}

function splitHostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  let host = address.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host: host || '127.0.0.1', port: Number(address.slice(colon + 1)) };
}
