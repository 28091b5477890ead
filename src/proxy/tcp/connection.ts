import type { Socket } from 'node:net';
import type { TcpConnectionFacts } from '../../entrypoints/tcp-facts.js';

/** A client connection handed to TCP routing: the socket (plain, or the TLS socket after termination). */
export interface TcpConnection {
  readonly socket: Socket;
  readonly facts: TcpConnectionFacts;
  /** Bytes read ahead that the socket could not take back (the client ended while it was peeked). */
  readonly leftover?: Buffer | undefined;
}

/** Serves one TCP connection; it owns the socket from then on and must end it. */
export type TcpHandler = (conn: TcpConnection) => void;

/** A TCP middleware: wraps the next handler (`ipAllowList`, `inFlightConn`). */
export type TcpMiddleware = (next: TcpHandler) => TcpHandler;
