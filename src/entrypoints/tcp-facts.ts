import type { Socket } from 'node:net';
import { connectionFacts } from '../connection/connection-facts.js';
import type { Peeker } from './peeker.js';
import { normalizeIp } from './request-context.js';

/** What the peek learnt from a TLS ClientHello. */
export interface TlsFacts {
  /** The SNI server name, lowercased; '' when the client sent none. */
  serverName: string;
  /** The ALPN protocols the client offered, in its order. */
  alpn: string[];
}

/**
 * What TCP routing and TCP middlewares know about one connection: the socket's addresses, what the
 * pre-dispatch stages learnt (the client of a trusted PROXY header, the original destination of
 * transparent mode; src/connection/connection-facts.ts) and what the peek read (TLS facts).
 */
export interface TcpConnectionFacts {
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

/** A connection being dispatched: its socket, its facts and the bytes read ahead. */
export interface IncomingConnection {
  readonly socket: Socket;
  readonly facts: TcpConnectionFacts;
  readonly peeker: Peeker;
}

/** The facts of a socket after the pre-dispatch stages have run. */
export function socketFacts(entryPoint: string, socket: Socket): TcpConnectionFacts {
  const staged = connectionFacts(socket);
  const facts: TcpConnectionFacts = {
    entryPoint,
    clientAddress: normalizeIp(staged?.client?.address ?? socket.remoteAddress ?? ''),
    clientPort: staged?.client?.port ?? socket.remotePort ?? 0,
    localAddress: normalizeIp(socket.localAddress ?? ''),
    localPort: socket.localPort ?? 0,
  };
  if (staged?.originalDestination) facts.originalDestination = { ...staged.originalDestination };
  return facts;
}
