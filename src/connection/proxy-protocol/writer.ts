import { isIPv4, isIPv6 } from 'node:net';
import type { ProxyAddress } from './parser.js';

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

/**
 * The PROXY header a connection to a backend starts with, telling it who the client was (`source`) and
 * where the client connected (`destination`). Addresses of different families are both written as IPv6
 * (IPv4-mapped); an address that is not an IP (a Unix socket, an unknown peer) gives `PROXY UNKNOWN`
 * (v1) or a `PROXY` command with `AF_UNSPEC` (v2), so the backend uses the connection's own addresses.
 *
 * @example encodeProxyHeader(2, { address: '192.0.2.1', port: 5000 }, { address: '192.0.2.2', port: 80 })
 */
export function encodeProxyHeader(
  version: 1 | 2,
  source: ProxyAddress | undefined,
  destination: ProxyAddress | undefined,
): Buffer {
  const pair = addressPair(source, destination);
  return version === 1 ? encodeV1(pair) : encodeV2(pair);
}

interface Pair {
  family: 4 | 6;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
}

function addressPair(source?: ProxyAddress, destination?: ProxyAddress): Pair | undefined {
  if (!source || !destination) return undefined;
  let src = stripZone(source.address);
  let dst = stripZone(destination.address);
  const known = (ip: string) => isIPv4(ip) || isIPv6(ip);
  if (!known(src) || !known(dst)) return undefined;
  let family: 4 | 6 = 4;
  if (isIPv6(src) || isIPv6(dst)) {
    family = 6;
    if (isIPv4(src)) src = `::ffff:${src}`;
    if (isIPv4(dst)) dst = `::ffff:${dst}`;
  }
  return { family, src, dst, srcPort: source.port, dstPort: destination.port };
}

function stripZone(ip: string): string {
  const pct = ip.indexOf('%');
  return pct < 0 ? ip : ip.slice(0, pct);
}

function encodeV1(pair: Pair | undefined): Buffer {
  if (!pair) return Buffer.from('PROXY UNKNOWN\r\n', 'latin1');
  const proto = pair.family === 4 ? 'TCP4' : 'TCP6';
  return Buffer.from(`PROXY ${proto} ${pair.src} ${pair.dst} ${pair.srcPort} ${pair.dstPort}\r\n`, 'latin1');
}

function encodeV2(pair: Pair | undefined): Buffer {
  const size = pair === undefined ? 0 : pair.family === 4 ? 12 : 36;
  const out = Buffer.alloc(16 + size);
  V2_SIGNATURE.copy(out, 0);
  out[12] = 0x21; // version 2, PROXY command
  out[13] = pair === undefined ? 0x00 : pair.family === 4 ? 0x11 : 0x21; // AF_INET/AF_INET6 over STREAM
  out.writeUInt16BE(size, 14);
  if (!pair) return out;
  const n = pair.family === 4 ? 4 : 16;
  ipBytes(pair.src, n).copy(out, 16);
  ipBytes(pair.dst, n).copy(out, 16 + n);
  out.writeUInt16BE(pair.srcPort, 16 + 2 * n);
  out.writeUInt16BE(pair.dstPort, 18 + 2 * n);
  return out;
}

/** The 4 or 16 bytes of an IP address in text form (already validated). */
export function ipBytes(ip: string, size: 4 | 16): Buffer {
  const out = Buffer.alloc(size);
  if (size === 4) {
    const parts = ip.split('.');
    for (let i = 0; i < 4; i++) out[i] = Number(parts[i]);
    return out;
  }
  let text = ip;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) !== -1) {
    // Trailing dotted quad (`::ffff:192.0.2.1`): rewrite it as two hex groups.
    const v4 = ipBytes(text.slice(lastColon + 1), 4);
    text = `${text.slice(0, lastColon + 1)}${v4.readUInt16BE(0).toString(16)}:${v4.readUInt16BE(2).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = 8 - headGroups.length - tailGroups.length;
  const groups = [
    ...headGroups,
    ...new Array<string>(tail === undefined ? 0 : zeros).fill('0'),
    ...tailGroups,
  ];
  for (let i = 0; i < 8; i++) out.writeUInt16BE(Number.parseInt(groups[i] ?? '0', 16), i * 2);
  return out;
}
