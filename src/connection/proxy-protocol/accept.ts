import type { Socket } from 'node:net';
import { SwitchyardError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { normalizeIp } from '../../entrypoints/request-context.js';
import {
  compileForwardedTrust,
  type ForwardedTrust,
  isTrustedSource,
} from '../../proxy/forwarded-headers.js';
import { factsOf } from '../connection-facts.js';
import {
  type ProxyAddress,
  type ProxyHeader,
  ProxyHeaderParser,
  type ProxyParse,
  parseProxyHeader,
} from './parser.js';

/** An entrypoint's compiled `proxyProtocol` section. */
export interface ProxyProtocolPolicy {
  readonly trust: ForwardedTrust;
  /** How long the header may take to arrive (the entrypoint's `readTimeout`); 0 = no limit. */
  readonly headerTimeoutMs: number;
}

/**
 * Compiles `entryPoints.<name>.proxyProtocol`. As Traefik, a section with neither `insecure` nor
 * `trustedIPs` is an error (Traefik refuses to start the entrypoint: "no trusted IPs provided").
 */
export function compileProxyProtocol(
  section: { trustedIPs?: readonly string[] | undefined; insecure?: boolean | undefined },
  readTimeoutMs: number,
): ProxyProtocolPolicy {
  const insecure = section.insecure ?? false;
  const trustedIPs = section.trustedIPs ?? [];
  if (!insecure && trustedIPs.length === 0) {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      'proxyProtocol: set trustedIPs (the addresses allowed to send a PROXY header) or insecure: true',
    );
  }
  const trust = compileForwardedTrust({ insecure, trustedIPs, key: 'proxyProtocol.trustedIPs' });
  return { trust, headerTimeoutMs: readTimeoutMs };
}

/** How reading a connection's first bytes for a PROXY header ended. */
export type ProxyRead =
  | { readonly kind: 'header'; readonly header: ProxyHeader }
  /** No PROXY header: the bytes read so far were pushed back for the protocol that follows. */
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly reason: string }
  /** The peer closed before sending anything. */
  | { readonly kind: 'closed' };

/**
 * Reads a PROXY header (v1 or v2, optional) off the start of `socket`, segment by segment, and pushes
 * back whatever follows it. Ends with `error` for a header that is malformed, lies about its length or is
 * cut short (the peer closes, or `timeoutMs` passes once a header signature has started). With no byte
 * at all within `timeoutMs`, the connection goes on without a header (a server-first protocol).
 */
export function readProxyHeader(socket: Socket, timeoutMs: number, done: (result: ProxyRead) => void): void {
  const parser = new ProxyHeaderParser();
  let last: ProxyParse = { state: 'more' };
  let timer: NodeJS.Timeout | undefined;
  const finish = (result: ProxyRead, rest?: Buffer) => {
    socket.off('readable', onReadable);
    socket.off('end', onEnd);
    socket.off('close', onEnd);
    if (timer) clearTimeout(timer);
    if (rest !== undefined && rest.length > 0) socket.unshift(rest);
    done(result);
  };
  const onReadable = () => {
    for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) {
      last = parser.push(chunk);
      if (last.state === 'more') continue;
      if (last.state === 'none') return finish({ kind: 'none' }, parser.bytes);
      if (last.state === 'error') return finish({ kind: 'error', reason: last.reason });
      return finish({ kind: 'header', header: last.header }, parser.bytes.subarray(last.consumed));
    }
  };
  const onEnd = () => {
    if (parser.bytes.length === 0) finish({ kind: 'closed' });
    else
      finish({
        kind: 'error',
        reason: `truncated header: the peer closed after ${parser.bytes.length} bytes`,
      });
  };
  if (timeoutMs > 0) {
    timer = setTimeout(() => {
      if (parser.bytes.length === 0) finish({ kind: 'none' });
      else finish({ kind: 'error', reason: `incomplete header after ${timeoutMs} ms` });
    }, timeoutMs);
    timer.unref();
  }
  socket.on('readable', onReadable);
  socket.once('end', onEnd);
  socket.once('close', onEnd);
}

/** What a connection's PROXY header means for it: refused, or served with (maybe) another client. */
export type ProxyDecision =
  | { readonly accept: false }
  | { readonly accept: true; readonly client?: ProxyAddress; readonly destination?: ProxyAddress };

/**
 * Applies the entrypoint's trust to what was read. As Traefik (go-proxyproto's IGNORE policy for
 * addresses outside `trustedIPs`), an untrusted sender's header is still read and removed but its
 * addresses are not used; a malformed header from anyone refuses the connection, with one log line.
 */
export function decideProxyRead(
  result: ProxyRead,
  peer: { address: string; port: number },
  policy: ProxyProtocolPolicy,
  logger: Logger,
): ProxyDecision {
  if (result.kind === 'closed') return { accept: false };
  if (result.kind === 'error') {
    logger.warn('PROXY protocol header rejected, connection closed', {
      peer: `${peer.address}:${peer.port}`,
      reason: result.reason,
    });
    return { accept: false };
  }
  if (result.kind === 'none' || !result.header.source) return { accept: true };
  if (!isTrustedSource(normalizeIp(peer.address), policy.trust)) {
    logger.debug('PROXY header from an untrusted address ignored', { peer: peer.address });
    return { accept: true };
  }
  return { accept: true, client: result.header.source, destination: result.header.destination };
}

/**
 * The entrypoint stage for `proxyProtocol`: reads the optional header, records the client it carries
 * when the sender is trusted (`insecure`, or its address in `trustedIPs`; see `decideProxyRead`), and
 * calls `next`, or closes the connection.
 */
export function proxyProtocolStage(
  policy: ProxyProtocolPolicy,
): (socket: Socket, next: () => void, logger: Logger) => void {
  return (socket, next, logger) => {
    readProxyHeader(socket, policy.headerTimeoutMs, (result) => {
      const peer = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
      const decision = decideProxyRead(result, peer, policy, logger);
      if (!decision.accept) {
        socket.destroy();
        return;
      }
      if (decision.client) {
        const facts = factsOf(socket);
        facts.client = decision.client;
        facts.originalDestination = decision.destination;
      }
      next();
    });
  };
}

/** Read-ahead without consuming, as the connection dispatcher's peeker offers it. */
export interface PeekSource {
  /** Resolves once at least `n` bytes are buffered, or with fewer when the peer ended. */
  need(n: number): Promise<Buffer>;
  consume(n: number): void;
  readonly isEnded: boolean;
}

/**
 * Reads an optional PROXY header through a peeker: consumes it when there is one, leaves every byte in
 * place otherwise. Asks for one byte more each time the parser cannot decide, so it never waits for
 * bytes a short header or another protocol will not send.
 */
export async function peekProxyHeader(source: PeekSource): Promise<ProxyRead> {
  let want = 1;
  for (;;) {
    const buf = await source.need(want);
    const r = parseProxyHeader(buf);
    if (r.state === 'none') return { kind: 'none' };
    if (r.state === 'error') return { kind: 'error', reason: r.reason };
    if (r.state === 'header') {
      source.consume(r.consumed);
      return { kind: 'header', header: r.header };
    }
    if (buf.length < want || source.isEnded) {
      if (buf.length === 0) return { kind: 'closed' };
      return { kind: 'error', reason: `truncated header: the peer closed after ${buf.length} bytes` };
    }
    want = buf.length + 1;
  }
}
