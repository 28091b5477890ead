import type { Socket } from 'node:net';
import type { Logger } from '../../core/logger.js';
import { normalizeIp } from '../../entrypoints/request-context.js';
import { factsOf, type SocketAddress } from '../connection-facts.js';
import { originalDestination } from './sockopt.js';

/** How connections reach a transparent entrypoint. */
export type TransparentMode = 'redirect' | 'tproxy';

/**
 * The entrypoint stage of transparent mode: records each connection's original destination in its
 * facts. `redirect`: the kernel's `SO_ORIGINAL_DST` after an iptables `REDIRECT`/`DNAT`; `tproxy`: the
 * accepted socket's local address (iptables `TPROXY` keeps it). A connection that was not redirected
 * (its destination is the entrypoint itself) gets none, so the `originalDestination` service cannot loop
 * back into Switchyard.
 */
export function originalDestinationStage(
  mode: TransparentMode,
  listenPort: number,
): (socket: Socket, next: () => void, logger: Logger) => void {
  return (socket, next, logger) => {
    const found = mode === 'redirect' ? redirected(socket) : tproxied(socket, listenPort);
    if (found) factsOf(socket).originalDestination = found;
    logger.debug('transparent connection', {
      client: `${socket.remoteAddress}:${socket.remotePort}`,
      originalDestination: found ? formatAddress(found) : 'none',
    });
    next();
  };
}

function redirected(socket: Socket): SocketAddress | undefined {
  const found = originalDestination(socket);
  if (!found) return undefined;
  const local = { address: normalizeIp(socket.localAddress ?? ''), port: socket.localPort ?? 0 };
  return normalizeIp(found.address) === local.address && found.port === local.port ? undefined : found;
}

function tproxied(socket: Socket, listenPort: number): SocketAddress | undefined {
  if (socket.localPort === undefined || socket.localPort === listenPort) return undefined;
  return { address: normalizeIp(socket.localAddress ?? ''), port: socket.localPort };
}

/** `192.0.2.1:80`, `[2001:db8::1]:80`. */
export function formatAddress(a: SocketAddress): string {
  return a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}
