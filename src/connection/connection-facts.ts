import type { Socket } from 'node:net';

/** An IP address and port. */
export interface SocketAddress {
  readonly address: string;
  readonly port: number;
}

/**
 * What the pre-dispatch stages learnt about one accepted connection, before any protocol runs on it:
 * the client as the PROXY header (from a trusted sender) tells it, and where the client was going before
 * an iptables REDIRECT/TPROXY rule sent it here. Routing, `X-Forwarded-For`, `ipAllowList` and the access
 * log read the client from here when it is set, and the socket's peer otherwise.
 */
export interface ConnectionFacts {
  /** The client address carried by a trusted PROXY header. */
  client?: SocketAddress;
  /** The destination the client connected to (PROXY header destination, or transparent mode's). */
  originalDestination?: SocketAddress;
}

const FACTS = Symbol('switchyard.connectionFacts');
type WithFacts = { [FACTS]?: ConnectionFacts; _parent?: WithFacts };

/** The facts of `socket`, creating them on first use. */
export function factsOf(socket: Socket): ConnectionFacts {
  const s = socket as unknown as WithFacts;
  let facts = s[FACTS];
  if (facts === undefined) {
    facts = {};
    s[FACTS] = facts;
  }
  return facts;
}

/**
 * The facts recorded for `socket`, or for the TCP socket under it when `socket` is the TLS socket that
 * node's TLS server wrapped around the accepted one (node keeps that one as `_parent`).
 */
export function connectionFacts(socket: object): ConnectionFacts | undefined {
  const s = socket as WithFacts;
  return s[FACTS] ?? s._parent?.[FACTS];
}
