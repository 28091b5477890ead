import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { isIPv6 } from 'node:net';
import type { Logger } from '../../core/logger.js';
import { parseAddress } from '../../entrypoints/address.js';
import type { UdpTable } from './table.js';

/** Sessions one UDP entrypoint keeps at most; datagrams from further clients are dropped. */
export const MAX_UDP_SESSIONS = 4096;

interface Session {
  upstream: Socket;
  server: string;
  timer: NodeJS.Timeout;
}

/** A UDP entrypoint: one session per client address, each with its own socket to the chosen server. */
export class UdpEntryPoint {
  private socket: Socket | undefined;
  private table: UdpTable = { router: undefined, pick: () => undefined, issues: [] };
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
        const now = Date.now();
        if (now - this.lastFullLog > 1_000) {
          this.lastFullLog = now;
          this.logger.warn('udp session limit reached; dropping datagrams from new clients', {
            entryPoint: this.name,
            sessions: this.sessions.size,
            limit: this.maxSessions,
          });
        }
        return;
      }
      session = this.open(key, rinfo);
      if (!session) return;
    }
    session.timer.refresh();
    const { host, port } = splitHostPort(session.server);
    session.upstream.send(msg, port, host);
  }

  private open(key: string, rinfo: RemoteInfo): Session | undefined {
    const server = this.table.pick();
    if (!server) return undefined;
    const { host } = splitHostPort(server);
    const upstream = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
    const timer = setTimeout(() => this.end(key), this.timeoutMs);
    const session: Session = { upstream, server, timer };
    upstream.on('message', (reply) => {
      session.timer.refresh();
      this.socket?.send(reply, rinfo.port, rinfo.address);
    });
    upstream.on('error', (err) => {
      this.logger.debug('udp server error', { entryPoint: this.name, server, error: err.message });
    });
    this.sessions.set(key, session);
    return session;
  }

  private end(key: string): void {
    const session = this.sessions.get(key);
    if (!session) return;
    this.sessions.delete(key);
    clearTimeout(session.timer);
    session.upstream.close();
  }
}

function splitHostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  let host = address.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host: host || '127.0.0.1', port: Number(address.slice(colon + 1)) };
}
