import net, { type Socket } from 'node:net';
import tls, { type ConnectionOptions } from 'node:tls';
import type { SocketAddress } from '../../connection/connection-facts.js';
import { encodeProxyHeader } from '../../connection/proxy-protocol/writer.js';
import { SwitchyardError } from '../../core/errors.js';

/** How to reach TCP servers: a TCP serversTransport, resolved at build time. */
export interface TcpDialOptions {
  /** 0: no bound. */
  dialTimeoutMs: number;
  /** Keep-alive probe interval; negative disables probes, 0 means Go's default (15 s). */
  keepAliveMs: number;
  terminationDelayMs: number;
  /** TLS client settings, used for servers with `tls: true`. */
  tls: ConnectionOptions;
  /** Send a PROXY header of this version to the server first (`proxyProtocol.version`). */
  proxyProtocol?: 1 | 2 | undefined;
}

/** Who the client is and where it connected: what a PROXY header sent to the server carries. */
export interface ProxiedClient {
  source: SocketAddress;
  destination: SocketAddress;
}

/** `host:port` or `[v6]:port` → its parts; throws CONFIG_INVALID otherwise (checked at build time). */
export function splitHostPort(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(address);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65_535) {
    throw new SwitchyardError('CONFIG_INVALID', `server address "${address}" is not host:port`);
  }
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/**
 * Connects to a TCP server: TCP connect, then the PROXY header when the transport sends one and `client`
 * is known (health checks have none, as in Traefik), then the TLS handshake when asked (inside the
 * PROXY-prefixed stream, as Traefik does). `done` is called once: with the socket when all of that is
 * done, or with the error (refused, unreachable, dial timeout, TLS failure).
 */
export function dialTcp(
  address: string,
  useTls: boolean,
  opts: TcpDialOptions,
  done: (err: Error | undefined, socket: Socket) => void,
  client?: ProxiedClient,
): Socket {
  const { host, port } = splitHostPort(address);
  const raw = net.connect({ host, port, allowHalfOpen: true, noDelay: true });
  let socket: Socket = raw;
  let settled = false;
  const settle = (err?: Error) => {
    if (settled) return;
    settled = true;
    if (timer) clearTimeout(timer);
    raw.off('error', settle);
    socket.off('error', settle);
    if (err) {
      socket.destroy();
      raw.destroy();
    }
    done(err, socket);
  };
  const timer =
    opts.dialTimeoutMs > 0
      ? setTimeout(
          () =>
            settle(
              new SwitchyardError(
                'UPSTREAM_TIMEOUT',
                `dial ${address}: timeout after ${opts.dialTimeoutMs} ms`,
              ),
            ),
          opts.dialTimeoutMs,
        )
      : undefined;
  raw.on('error', settle);
  // Destroyed by the caller (its client left) before the dial completed.
  raw.once('close', () => settle(new SwitchyardError('CLIENT_CLOSED', `dial ${address}: abandoned`)));
  raw.once('connect', () => {
    if (opts.keepAliveMs >= 0) raw.setKeepAlive(true, opts.keepAliveMs || 15_000);
    const header =
      opts.proxyProtocol && client
        ? encodeProxyHeader(opts.proxyProtocol, client.source, client.destination)
        : undefined;
    if (header) raw.write(header);
    if (!useTls) return settle();
    const servername = opts.tls.servername ?? (net.isIP(host) ? undefined : host);
    // The header's write is queued on the TCP handle before the TLS layer writes its ClientHello.
    const secure = tls.connect({ ...opts.tls, socket: raw, ...(servername ? { servername } : {}) });
    socket = secure;
    // Errors of the TCP socket under the TLS one end both, for the whole life of the connection.
    raw.on('error', (err) => secure.destroy(err));
    secure.on('error', settle);
    socket.once('secureConnect', () => settle());
  });
  return raw;
}
