import type { Logger } from '../../core/logger.js';
import type { TcpConnection } from './connection.js';
import { dialTcp, type ProxiedClient, type TcpDialOptions } from './dial.js';
import { pipeSockets } from './pipe.js';

/** What a PROXY header sent to a server says about `conn`: its client, and where that client connected. */
export function proxiedClient(conn: TcpConnection): ProxiedClient {
  const f = conn.facts;
  return {
    source: { address: f.clientAddress, port: f.clientPort },
    destination: f.originalDestination ?? { address: f.localAddress, port: f.localPort },
  };
}

/**
 * Dials `address` for one client connection and pipes the two together; a failed dial closes the client
 * connection with one log line (Traefik: "Error while dialing backend").
 */
export function forwardTcp(
  conn: TcpConnection,
  address: string,
  useTls: boolean,
  dial: TcpDialOptions,
  log: Logger,
): void {
  const dialing = dialTcp(
    address,
    useTls,
    dial,
    (err, backend) => {
      conn.socket.off('close', abandon);
      if (err) {
        if (conn.socket.destroyed) return; // the client left first: nothing to report
        log.error('error while dialing backend', {
          server: address,
          client: conn.facts.clientAddress,
          error: err.message,
        });
        conn.socket.destroy();
        return;
      }
      if (conn.socket.destroyed) {
        backend.destroy();
        return;
      }
      pipeSockets(conn.socket, backend, {
        terminationDelayMs: dial.terminationDelayMs,
        leftover: conn.leftover,
      });
    },
    dial.proxyProtocol ? proxiedClient(conn) : undefined,
  );
  const abandon = () => dialing.destroy();
  conn.socket.once('close', abandon);
}
