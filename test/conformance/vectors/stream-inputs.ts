import { encodeProxyHeader } from '../../../src/connection/proxy-protocol/index.js';

/*
 * PROXY protocol headers (v1 text, v2 binary) in front of an HTTP request on an entrypoint that trusts
 * 127.0.0.1, and byte streams for a TCP router. A header that is valid names the client the server sees
 * (`X-Real-Ip`); a malformed one closes the connection (or is answered 400) and nothing reaches the server.
 */

export interface ProxyVector {
  readonly name: string;
  readonly header: Buffer;
  readonly outcome: 'refused' | { readonly client: string };
}

const SRC = { address: '198.51.100.7', port: 4000 };
const DST = { address: '192.0.2.1', port: 80 };
const v2 = encodeProxyHeader(2, SRC, DST);
const text = (s: string) => Buffer.from(s, 'latin1');
const patched = (at: number, byte: number) => {
  const b = Buffer.from(v2);
  b[at] = byte;
  return b;
};

export const PROXY_VECTORS: readonly ProxyVector[] = [
  { name: 'v1 TCP4', header: encodeProxyHeader(1, SRC, DST), outcome: { client: '198.51.100.7' } },
  { name: 'v2 TCP4', header: v2, outcome: { client: '198.51.100.7' } },
  {
    name: 'v1 TCP6',
    header: encodeProxyHeader(1, { address: '2001:db8::7', port: 1 }, { address: '2001:db8::1', port: 2 }),
    outcome: { client: '2001:db8::7' },
  },
  {
    name: 'v1 UNKNOWN: the connection address',
    header: text('PROXY UNKNOWN\r\n'),
    outcome: { client: '127.0.0.1' },
  },
  { name: 'v1 without ports', header: text('PROXY TCP4 198.51.100.7 192.0.2.1\r\n'), outcome: 'refused' },
  {
    name: 'v1 with an address out of range',
    header: text('PROXY TCP4 999.1.1.1 192.0.2.1 1 2\r\n'),
    outcome: 'refused',
  },
  {
    name: 'v1 TCP6 with IPv4 addresses',
    header: text('PROXY TCP6 198.51.100.7 192.0.2.1 1 2\r\n'),
    outcome: 'refused',
  },
  {
    name: 'v1 with a port out of range',
    header: text('PROXY TCP4 198.51.100.7 192.0.2.1 70000 2\r\n'),
    outcome: 'refused',
  },
  {
    name: 'v1 ending in a bare LF',
    header: text('PROXY TCP4 198.51.100.7 192.0.2.1 1 2\n'),
    outcome: 'refused',
  },
  {
    name: 'v1 over 107 bytes',
    header: text(`PROXY TCP4 198.51.100.7 192.0.2.1 1 2${' '.repeat(100)}\r\n`),
    outcome: 'refused',
  },
  { name: 'v1 in lowercase', header: text('proxy TCP4 198.51.100.7 192.0.2.1 1 2\r\n'), outcome: 'refused' },
  {
    name: 'v1 with a NUL',
    header: text('PROXY TCP4 198.51.100.7\x00 192.0.2.1 1 2\r\n'),
    outcome: 'refused',
  },
  { name: 'v2 with version 3', header: patched(12, 0x31), outcome: 'refused' },
  { name: 'v2 with an unknown command', header: patched(12, 0x2f), outcome: 'refused' },
  { name: 'v2 with an unknown family', header: patched(13, 0x71), outcome: 'refused' },
  {
    name: 'v2 TCP4 with a length too short for its addresses',
    header: Buffer.concat([v2.subarray(0, 14), Buffer.from([0, 4]), v2.subarray(16, 20)]),
    outcome: 'refused',
  },
  { name: 'v2 with a bad signature', header: patched(5, 0x00), outcome: 'refused' },
  {
    name: 'two PROXY headers: the second is not HTTP',
    header: Buffer.concat([encodeProxyHeader(1, SRC, DST), encodeProxyHeader(1, SRC, DST)]),
    outcome: 'refused',
  },
];

export interface TcpVector {
  readonly name: string;
  readonly send: Buffer;
}

export const TCP_VECTORS: readonly TcpVector[] = [
  { name: 'every byte value', send: Buffer.from(Array.from({ length: 256 }, (_, i) => i)) },
  {
    name: 'an HTTP request (a TCP router does not parse it)',
    send: text('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
  },
  { name: 'an HTTP/2 preface', send: text('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n') },
  { name: 'a PROXY header on an entrypoint that does not trust it', send: encodeProxyHeader(1, SRC, DST) },
  { name: 'NUL bytes', send: Buffer.alloc(1024) },
  { name: '1 MiB in one write', send: Buffer.alloc(1024 * 1024, 0x61) },
];
