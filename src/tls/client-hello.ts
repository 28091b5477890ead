/**
 * Reads the TLS ClientHello at the start of a connection without consuming it, so that the TLS settings
 * (options set, certificate) can be chosen from the server name and ALPN list before the handshake starts,
 * as Traefik does. The bytes read are pushed back on the socket for the TLS layer to read again.
 */
import type { Socket } from 'node:net';
import { SwitchyardError } from '../core/errors.js';

/** What the ClientHello says that matters for choosing TLS settings. */
export interface ClientHelloInfo {
  /** The SNI host name as sent (not normalised), or undefined without SNI. */
  serverName: string | undefined;
  /** ALPN protocols offered, in the client's order (empty without the extension). */
  alpnProtocols: string[];
}

/** Result of parsing the bytes received so far. */
export type ClientHelloParse =
  | { state: 'complete'; hello: ClientHelloInfo }
  | { state: 'partial' }
  /** Not a ClientHello we understand (not a handshake record, another message, a malformed length). */
  | { state: 'invalid'; reason: string };

const RECORD_HANDSHAKE = 0x16;
const HANDSHAKE_CLIENT_HELLO = 0x01;
const EXT_SERVER_NAME = 0x0000;
const EXT_ALPN = 0x0010;
const RECORD_HEADER = 5;
/** Upper bound on the ClientHello message; real ones are below 2 KiB, post-quantum key shares included. */
export const MAX_CLIENT_HELLO_BYTES = 64 * 1024;

/**
 * Parses a ClientHello from the bytes at the start of a TLS connection. The message may span several
 * handshake records (large post-quantum key shares do); `partial` means more bytes are needed.
 */
export function parseClientHello(data: Buffer): ClientHelloParse {
  // Reassemble the handshake message from the records seen so far.
  const fragments: Buffer[] = [];
  let have = 0;
  let offset = 0;
  let need = -1;
  while (need < 0 || have < need) {
    if (data.length < offset + RECORD_HEADER) return { state: 'partial' };
    if (data[offset] !== RECORD_HANDSHAKE) return { state: 'invalid', reason: 'not a TLS handshake record' };
    const length = data.readUInt16BE(offset + 3);
    if (length === 0) return { state: 'invalid', reason: 'empty TLS record' };
    const end = offset + RECORD_HEADER + length;
    const fragment = data.subarray(offset + RECORD_HEADER, Math.min(end, data.length));
    fragments.push(fragment);
    have += fragment.length;
    if (need < 0 && have >= 4) {
      const head = Buffer.concat(fragments);
      if (head[0] !== HANDSHAKE_CLIENT_HELLO) return { state: 'invalid', reason: 'not a ClientHello' };
      need = 4 + head.readUIntBE(1, 3);
      if (need > MAX_CLIENT_HELLO_BYTES) return { state: 'invalid', reason: 'ClientHello too large' };
    }
    if (end > data.length) {
      if (need >= 0 && have >= need) break;
      return { state: 'partial' };
    }
    offset = end;
  }
  const message = Buffer.concat(fragments).subarray(4, need);
  try {
    return { state: 'complete', hello: readBody(message) };
  } catch (err) {
    return { state: 'invalid', reason: (err as Error).message };
  }
}

/** A bounds-checked cursor over the ClientHello body. */
class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  get remaining(): number {
    return this.buf.length - this.at;
  }
  skip(n: number): void {
    this.take(n);
  }
  u8(): number {
    return this.take(1)[0]!;
  }
  u16(): number {
    return this.take(2).readUInt16BE(0);
  }
  take(n: number): Buffer {
    if (n > this.remaining) throw new Error('truncated ClientHello');
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
}

function readBody(body: Buffer): ClientHelloInfo {
  const r = new Reader(body);
  r.skip(2 + 32); // legacy_version, random
  r.skip(r.u8()); // legacy_session_id
  r.skip(r.u16()); // cipher_suites
  r.skip(r.u8()); // legacy_compression_methods
  const hello: ClientHelloInfo = { serverName: undefined, alpnProtocols: [] };
  if (r.remaining === 0) return hello; // no extensions (very old clients)
  const extensions = new Reader(r.take(r.u16()));
  while (extensions.remaining > 0) {
    const type = extensions.u16();
    const data = new Reader(extensions.take(extensions.u16()));
    if (type === EXT_SERVER_NAME && data.remaining > 0) hello.serverName = readServerName(data);
    else if (type === EXT_ALPN && data.remaining > 0) hello.alpnProtocols = readAlpn(data);
  }
  return hello;
}

function readServerName(data: Reader): string | undefined {
  const list = new Reader(data.take(data.u16()));
  while (list.remaining > 0) {
    const kind = list.u8();
    const name = list.take(list.u16());
    if (kind === 0) return name.toString('latin1');
  }
  return undefined;
}

function readAlpn(data: Reader): string[] {
  const list = new Reader(data.take(data.u16()));
  const out: string[] = [];
  while (list.remaining > 0) out.push(list.take(list.u8()).toString('latin1'));
  return out;
}

/**
 * Waits until `socket` has delivered a whole ClientHello (or something that cannot be one), starting from
 * `first`, the bytes already read from it. Every byte read is pushed back with `socket.unshift` before the
 * promise settles, so the TLS layer sees the stream untouched. Resolves `undefined` for bytes that are not
 * a ClientHello (the TLS layer then fails the handshake itself).
 *
 * Rejects with SwitchyardError `BAD_REQUEST` when the client closes, sends more than
 * `MAX_CLIENT_HELLO_BYTES`, or stalls for `timeoutMs`.
 */
export function readClientHello(
  socket: Socket,
  first: Buffer,
  timeoutMs: number,
): Promise<ClientHelloInfo | undefined> {
  const settle = (buffer: Buffer): ClientHelloParse => parseClientHello(buffer);
  const initial = settle(first);
  if (initial.state !== 'partial') {
    socket.unshift(first);
    return Promise.resolve(initial.state === 'complete' ? initial.hello : undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [first];
    let size = first.length;
    const done = (error: Error | undefined, hello?: ClientHelloInfo): void => {
      clearTimeout(timer);
      socket.off('readable', onReadable);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      if (error) {
        reject(error);
        return;
      }
      socket.unshift(Buffer.concat(chunks, size));
      resolve(hello);
    };
    const onEnd = (): void =>
      done(new SwitchyardError('BAD_REQUEST', 'connection closed before the TLS ClientHello ended'));
    const onReadable = (): void => {
      for (let chunk = socket.read() as Buffer | null; chunk; chunk = socket.read() as Buffer | null) {
        chunks.push(chunk);
        size += chunk.length;
      }
      const parsed = settle(Buffer.concat(chunks, size));
      if (parsed.state === 'complete') done(undefined, parsed.hello);
      else if (parsed.state === 'invalid') done(undefined, undefined);
      else if (size > MAX_CLIENT_HELLO_BYTES + 1024)
        done(new SwitchyardError('BAD_REQUEST', 'TLS ClientHello too large'));
    };
    const timer = setTimeout(
      () => done(new SwitchyardError('BAD_REQUEST', 'timed out waiting for the TLS ClientHello')),
      timeoutMs,
    );
    timer.unref();
    socket.on('readable', onReadable);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
  });
}
