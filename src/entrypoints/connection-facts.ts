import type { Socket } from 'node:net';
import type { Peeker } from './peeker.js';

/** What the peek learnt from a TLS ClientHello. */
export interface TlsFacts {
  /** The SNI server name, lowercased; '' when the client sent none. */
  serverName: string;
  /** The ALPN protocols the client offered, in its order. */
  alpn: string[];
}

/**
 * Facts about one accepted connection, filled before dispatch (by the accept itself, the pre-dispatch
 * stages and the peek) and read by TCP routing, TCP middlewares, HTTP context creation and logs.
 */
export interface ConnectionFacts {
  readonly entryPoint: string;
  /** The client as the routing sees it: the socket's peer, or what a PROXY header says. */
  clientAddress: string;
  clientPort: number;
  /** Where the client connected on this host. */
  readonly localAddress: string;
  readonly localPort: number;
  /** Where the client meant to go before a REDIRECT/TPROXY rule sent it here (transparent mode). */
  originalDestination?: { address: string; port: number };
  /** Set once the peek has read a TLS ClientHello. */
  tls?: TlsFacts;
}

/** One accepted connection while it is being dispatched. */
export interface IncomingConnection {
  readonly socket: Socket;
  readonly facts: ConnectionFacts;
  /** Reads ahead without consuming; stages may `consume` bytes that are theirs (a PROXY header). */
  readonly peeker: Peeker;
}

/**
 * A step run on every accepted connection before the dispatcher peeks: PROXY-protocol reading, original
 * destination lookup. Stages run in order; a stage that refuses the connection closes it and returns false.
 * The entrypoint's peek timeout bounds all stages together.
 *
 * @example { name: 'proxy-protocol', run: async (conn) => { const head = await conn.peeker.need(16); … } }
 */
export interface PreDispatchStage {
  readonly name: string;
  run(conn: IncomingConnection): Promise<boolean> | boolean;
}

/** The facts of a freshly accepted socket. */
export function socketFacts(entryPoint: string, socket: Socket): ConnectionFacts {
  return {
    entryPoint,
    clientAddress: stripMapped(socket.remoteAddress ?? ''),
    clientPort: socket.remotePort ?? 0,
    localAddress: stripMapped(socket.localAddress ?? ''),
    localPort: socket.localPort ?? 0,
  };
}

/** `::ffff:1.2.3.4` → `1.2.3.4`, as Go reports IPv4 peers of a dual-stack listener. */
function stripMapped(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
