import net, { type Socket } from 'node:net';
import tls, { type ConnectionOptions } from 'node:tls';
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
 * Connects to a TCP server, over TLS when asked. `done` is called once: with the socket when connected
 * (the TLS handshake included), or with the error (refused, unreachable, dial timeout).
 */
export function dialTcp(
  address: string,
  useTls: boolean,
  opts: TcpDialOptions,
  done: (err: Error | undefined, socket: Socket) => void,
): Socket {
  const { host, port } = splitHostPort(address);
  let socket: Socket;
  const ready = useTls ? 'secureConnect' : 'connect';
  if (useTls) {
    const servername = opts.tls.servername ?? (net.isIP(host) ? undefined : host);
    const raw = net.connect({ host, port, allowHalfOpen: true, noDelay: true });
    socket = tls.connect({ ...opts.tls, socket: raw, ...(servername ? { servername } : {}) });
    raw.on('error', (err) => socket.destroy(err));
  } else {
    socket = net.connect({ host, port, allowHalfOpen: true, noDelay: true });
  }
  let settled = false;
  const settle = (err?: Error) => {
    if (settled) return;
    settled = true;
    if (timer) clearTimeout(timer);
    socket.off('error', settle);
    if (err) socket.destroy();
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
  socket.once(ready, () => {
    if (opts.keepAliveMs >= 0) socket.setKeepAlive(true, opts.keepAliveMs || 15_000);
    settle();
  });
  socket.on('error', settle);
  return socket;
}
