import type { TlsFacts } from './connection-facts.js';

const RECORD_HEADER = 5;
const HANDSHAKE = 0x16;
const CLIENT_HELLO = 0x01;
/** Go's limits, so a ClientHello Traefik accepts is accepted here and a bigger one is refused the same way. */
export const MAX_RECORD = 16_384 + 2_048;
export const MAX_HANDSHAKE = 65_536;

/** The outcome of looking at the bytes read so far. */
export type HelloResult =
  | { kind: 'need'; bytes: number }
  | { kind: 'hello'; facts: TlsFacts }
  | { kind: 'invalid'; reason: string };

/**
 * Reads SNI and ALPN from a TLS ClientHello at the start of `data`, which may span several TLS records and
 * arrive in many TCP segments: answers how many bytes it needs next until the message is complete.
 *
 * @example parseClientHello(peeked) // { kind: 'hello', facts: { serverName: 'a.test', alpn: ['h2'] } }
 */
export function parseClientHello(data: Buffer): HelloResult {
  const message: Buffer[] = [];
  let have = 0;
  let offset = 0;
  let expected = -1;
  for (;;) {
    if (data.length < offset + RECORD_HEADER) return { kind: 'need', bytes: offset + RECORD_HEADER };
    if (data[offset] !== HANDSHAKE)
      return invalid(`record type ${data[offset]} where a handshake record was expected`);
    if (data[offset + 1] !== 3) return invalid('the first bytes do not look like a TLS record');
    const length = data.readUInt16BE(offset + 3);
    if (length > MAX_RECORD) return invalid(`oversized TLS record (${length} bytes, at most ${MAX_RECORD})`);
    if (length === 0) return invalid('empty TLS handshake record');
    const end = offset + RECORD_HEADER + length;
    if (data.length < end) return { kind: 'need', bytes: end };
    message.push(data.subarray(offset + RECORD_HEADER, end));
    have += length;
    offset = end;
    if (expected === -1 && have >= 4) {
      const head = message.length === 1 ? message[0]! : Buffer.concat(message);
      if (head[0] !== CLIENT_HELLO)
        return invalid(`handshake message type ${head[0]} where a ClientHello was expected`);
      const size = head.readUIntBE(1, 3);
      if (size > MAX_HANDSHAKE)
        return invalid(`oversized ClientHello (${size} bytes, at most ${MAX_HANDSHAKE})`);
      expected = 4 + size;
    }
    if (expected !== -1 && have >= expected) {
      const body = (message.length === 1 ? message[0]! : Buffer.concat(message)).subarray(4, expected);
      return readHello(body);
    }
  }
}

function invalid(reason: string): HelloResult {
  return { kind: 'invalid', reason };
}

/** A bounds-checked cursor: every read past the end throws, and the one catch turns it into `invalid`. */
class Cursor {
  constructor(
    private readonly buf: Buffer,
    public pos = 0,
    private readonly end = buf.length,
  ) {}
  u8(): number {
    this.check(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.check(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  bytes(n: number): Buffer {
    this.check(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** A sub-cursor over the next `n` bytes. */
  sub(n: number): Cursor {
    this.check(n);
    const c = new Cursor(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return c;
  }
  get done(): boolean {
    return this.pos >= this.end;
  }
  private check(n: number): void {
    if (this.pos + n > this.end) throw new RangeError('truncated');
  }
}

const EXT_SERVER_NAME = 0;
const EXT_ALPN = 16;

function readHello(body: Buffer): HelloResult {
  let serverName = '';
  const alpn: string[] = [];
  try {
    const c = new Cursor(body);
    c.bytes(2 + 32); // legacy_version, random
    c.bytes(c.u8()); // legacy_session_id
    c.bytes(c.u16()); // cipher_suites
    c.bytes(c.u8()); // legacy_compression_methods
    if (!c.done) {
      const extensions = c.sub(c.u16());
      while (!extensions.done) {
        const type = extensions.u16();
        const ext = extensions.sub(extensions.u16());
        if (type === EXT_SERVER_NAME) {
          const list = ext.sub(ext.u16());
          while (!list.done) {
            const nameType = list.u8();
            const name = list.bytes(list.u16());
            if (nameType === 0) serverName = name.toString('latin1').toLowerCase().replace(/\.$/, '');
          }
        } else if (type === EXT_ALPN) {
          const list = ext.sub(ext.u16());
          while (!list.done) alpn.push(list.bytes(list.u8()).toString('latin1'));
        }
      }
    }
  } catch {
    return invalid('malformed ClientHello (a length runs past the end of the message)');
  }
  return { kind: 'hello', facts: { serverName, alpn } };
}
