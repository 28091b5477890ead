import { isIPv4, isIPv6 } from 'node:net';

/** An address carried by a PROXY header. */
export interface ProxyAddress {
  readonly address: string;
  readonly port: number;
}

/**
 * A decoded PROXY protocol header. `source`/`destination` are set only when the header carries usable
 * TCP/UDP addresses (`PROXY` command over IPv4 or IPv6); a `LOCAL` command, `UNKNOWN` (v1) or `AF_UNSPEC`
 * / `AF_UNIX` (v2) leave them unset, and the connection keeps its real addresses.
 */
export interface ProxyHeader {
  readonly version: 1 | 2;
  readonly command: 'proxy' | 'local';
  readonly family: 'tcp4' | 'tcp6' | 'unix' | 'unknown';
  readonly source: ProxyAddress | undefined;
  readonly destination: ProxyAddress | undefined;
  /** Number of v2 TLVs that were present (their content is skipped). */
  readonly tlvCount: number;
}

/** What the parser knows after the bytes it was given. */
export type ProxyParse =
  | { readonly state: 'more' }
  /** The bytes do not start a PROXY header: they all belong to the application protocol. */
  | { readonly state: 'none' }
  /** A complete header of `consumed` bytes; what follows is application data. */
  | { readonly state: 'header'; readonly header: ProxyHeader; readonly consumed: number }
  | { readonly state: 'error'; readonly reason: string };

/** The v1 signature (`PROXY `) and the v2 one (`\r\n\r\n\0\r\nQUIT\n`). */
const V1_SIGNATURE = Buffer.from('PROXY ', 'latin1');
const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
/** A v1 header is at most 107 bytes including CRLF (the specification's worst case). */
export const V1_MAX_LENGTH = 107;
const V2_FIXED = 16;

const MORE: ProxyParse = { state: 'more' };
const NONE: ProxyParse = { state: 'none' };

/**
 * Parses a PROXY protocol header (v1 or v2, auto-detected) from the first bytes of a connection, fed one
 * segment at a time: a header split across any number of segments is handled, and the parser decides as
 * soon as the bytes allow (a first byte other than `P` or `\r` is `none` at once, so plain traffic is not
 * delayed).
 *
 * @example
 * const p = new ProxyHeaderParser();
 * p.push(Buffer.from('PROXY TCP4 192.0.2.1 192.0.2.2 5000 80\r\nGET / HTTP/1.1\r\n'));
 * // → { state: 'header', header: { source: { address: '192.0.2.1', port: 5000 }, … }, consumed: 40 }
 */
export class ProxyHeaderParser {
  private buffered: Buffer = Buffer.alloc(0);

  /** All bytes pushed so far (for handing them on when the result is `none`). */
  get bytes(): Buffer {
    return this.buffered;
  }

  push(chunk: Buffer): ProxyParse {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    return parseProxyHeader(this.buffered);
  }
}

/** Parses `buf` (the connection's first bytes); see `ProxyHeaderParser`. */
export function parseProxyHeader(buf: Buffer): ProxyParse {
  if (buf.length === 0) return MORE;
  if (buf[0] === V1_SIGNATURE[0]) {
    if (!matchesPrefix(buf, V1_SIGNATURE)) return NONE;
    return buf.length < V1_SIGNATURE.length ? MORE : parseV1(buf);
  }
  if (buf[0] === V2_SIGNATURE[0]) {
    if (!matchesPrefix(buf, V2_SIGNATURE)) return NONE;
    return buf.length < V2_FIXED ? MORE : parseV2(buf);
  }
  return NONE;
}

function matchesPrefix(buf: Buffer, signature: Buffer): boolean {
  const n = Math.min(buf.length, signature.length);
  for (let i = 0; i < n; i++) if (buf[i] !== signature[i]) return false;
  return true;
}

function error(reason: string): ProxyParse {
  return { state: 'error', reason };
}

function parseV1(buf: Buffer): ProxyParse {
  const limit = Math.min(buf.length, V1_MAX_LENGTH);
  let end = -1;
  for (let i = V1_SIGNATURE.length; i < limit; i++) {
    if (buf[i] === 0x0a) {
      end = i;
      break;
    }
  }
  if (end === -1) {
    return buf.length >= V1_MAX_LENGTH ? error(`v1 header longer than ${V1_MAX_LENGTH} bytes`) : MORE;
  }
  if (buf[end - 1] !== 0x0d) return error('v1 header line does not end with CRLF');
  const line = buf.toString('latin1', V1_SIGNATURE.length, end - 1);
  const consumed = end + 1;
  const parts = line.split(' ');
  const proto = parts[0];
  if (proto === 'UNKNOWN') {
    return { state: 'header', consumed, header: v1Header('unknown', undefined, undefined) };
  }
  if (proto !== 'TCP4' && proto !== 'TCP6') return error(`v1 header has unknown protocol "${proto}"`);
  if (parts.length !== 5) return error(`v1 ${proto} header needs 4 fields, got ${parts.length - 1}`);
  const [, srcIp, dstIp, srcPort, dstPort] = parts as [string, string, string, string, string];
  const valid = proto === 'TCP4' ? isIPv4 : isIPv6;
  for (const ip of [srcIp, dstIp]) {
    if (!valid(ip)) return error(`v1 ${proto} header has an invalid address "${ip}"`);
  }
  const sp = v1Port(srcPort);
  const dp = v1Port(dstPort);
  if (sp === undefined || dp === undefined) {
    return error(`v1 header has an invalid port "${sp === undefined ? srcPort : dstPort}"`);
  }
  const family = proto === 'TCP4' ? 'tcp4' : 'tcp6';
  return {
    state: 'header',
    consumed,
    header: v1Header(family, { address: srcIp, port: sp }, { address: dstIp, port: dp }),
  };
}

function v1Header(family: ProxyHeader['family'], source?: ProxyAddress, destination?: ProxyAddress) {
  return { version: 1, command: 'proxy', family, source, destination, tlvCount: 0 } as const;
}

/** Decimal 0..65535 without sign, spaces or leading zeros (the specification forbids them). */
function v1Port(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,4})$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

const FAMILY_V2: Record<number, { family: ProxyHeader['family']; size: number }> = {
  0: { family: 'unknown', size: 0 },
  1: { family: 'tcp4', size: 12 },
  2: { family: 'tcp6', size: 36 },
  3: { family: 'unix', size: 216 },
};

function parseV2(buf: Buffer): ProxyParse {
  const verCmd = buf[12]!;
  if (verCmd >> 4 !== 2) return error(`v2 header has version ${verCmd >> 4}, expected 2`);
  const cmd = verCmd & 0x0f;
  if (cmd > 1) return error(`v2 header has unknown command ${cmd}`);
  const famProto = buf[13]!;
  const fam = FAMILY_V2[famProto >> 4];
  const transport = famProto & 0x0f;
  if (!fam || transport > 2) return error(`v2 header has unknown address family 0x${hex(famProto)}`);
  const length = buf.readUInt16BE(14);
  const consumed = V2_FIXED + length;
  // Only a PROXY command over a known family must carry its address block; LOCAL may carry anything.
  if (cmd === 1 && length < fam.size) {
    return error(`v2 header length ${length} is shorter than its ${fam.family} addresses (${fam.size})`);
  }
  if (buf.length < consumed) return MORE;
  const body = buf.subarray(V2_FIXED, consumed);
  const command = cmd === 0 ? 'local' : 'proxy';
  let source: ProxyAddress | undefined;
  let destination: ProxyAddress | undefined;
  if (command === 'proxy' && transport !== 0 && (fam.family === 'tcp4' || fam.family === 'tcp6')) {
    const n = fam.family === 'tcp4' ? 4 : 16;
    source = { address: ipText(body.subarray(0, n)), port: body.readUInt16BE(2 * n) };
    destination = { address: ipText(body.subarray(n, 2 * n)), port: body.readUInt16BE(2 * n + 2) };
  }
  let tlvCount = 0;
  if (command === 'proxy') {
    const tlvs = countTlvs(body.subarray(fam.size));
    if (tlvs === undefined) return error('v2 header has a TLV that runs past the header length');
    tlvCount = tlvs;
  }
  const family = command === 'local' ? 'unknown' : transport === 0 ? 'unknown' : fam.family;
  return {
    state: 'header',
    consumed,
    header: {
      version: 2,
      command,
      family,
      source: family === 'unknown' ? undefined : source,
      destination,
      tlvCount,
    },
  };
}

/** Walks the TLVs (type, 16-bit length, value) after the addresses; undefined if one overruns. */
function countTlvs(tlvs: Buffer): number | undefined {
  let count = 0;
  let at = 0;
  while (at < tlvs.length) {
    if (at + 3 > tlvs.length) return undefined;
    at += 3 + tlvs.readUInt16BE(at + 1);
    if (at > tlvs.length) return undefined;
    count++;
  }
  return count;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Dotted quad, or IPv6 text in RFC 5952 form (`::` for the longest zero run, `::ffff:a.b.c.d` mapped). */
export function ipText(bytes: Buffer): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  if (bytes.readUInt32BE(0) === 0 && bytes.readUInt32BE(4) === 0 && bytes.readUInt32BE(8) === 0xffff) {
    return `::ffff:${ipText(bytes.subarray(12))}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  // The longest run of two or more zero groups becomes `::`.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const text = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestStart === -1) return text(groups);
  const head = text(groups.slice(0, bestStart));
  const tail = text(groups.slice(bestStart + bestLen));
  return `${head}::${tail}`;
}
