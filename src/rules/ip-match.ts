/**
 * IP address and CIDR matching for the `ClientIP` matcher, as Traefik's IP checker: IPv4, IPv6 and CIDR
 * ranges; IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) are treated as IPv4 on both sides and zones
 * (`fe80::1%eth0`) are ignored. Request addresses are parsed without allocating.
 */

interface V4Range {
  readonly net: number;
  readonly mask: number;
}

interface V6Range {
  readonly net: Uint32Array;
  readonly mask: Uint32Array;
}

/** Parses dotted-quad IPv4 in `s[start, end)`; -1 when invalid (leading zeros are invalid, as in Go). */
function parseV4(s: string, start: number, end: number): number {
  let value = 0;
  let parts = 0;
  let i = start;
  while (i < end) {
    let octet = 0;
    const first = i;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      octet = octet * 10 + (c - 48);
      i++;
    }
    const digits = i - first;
    if (digits === 0 || digits > 3 || octet > 255 || (digits > 1 && s.charCodeAt(first) === 48)) return -1;
    value = value * 256 + octet;
    parts++;
    if (i === end) break;
    if (s.charCodeAt(i) !== 46 || parts === 4) return -1;
    i++;
    if (i === end) return -1;
  }
  return parts === 4 ? value : -1;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const groups = new Uint16Array(8);

/** Parses IPv6 in `s[0, end)` into four 32-bit words; false when invalid. */
function parseV6(s: string, end: number, out: Uint32Array): boolean {
  let count = 0;
  let gap = -1;
  let i = 0;
  if (s.charCodeAt(0) === 58 /* : */) {
    if (s.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    if (count === 8) return false;
    let value = 0;
    let digits = 0;
    const first = i;
    while (i < end) {
      const d = hexDigit(s.charCodeAt(i));
      if (d < 0) break;
      value = value * 16 + d;
      digits++;
      i++;
    }
    if (i < end && s.charCodeAt(i) === 46 /* . */) {
      // Embedded IPv4 in the last 32 bits.
      if (count > 6) return false;
      const v4 = parseV4(s, first, end);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (digits === 0 || digits > 4) return false;
    groups[count++] = value;
    if (i === end) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (s.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i++;
    } else if (i === end) return false;
  }
  if (gap < 0 ? count !== 8 : count > 7) return false;
  if (gap >= 0) {
    // Move the groups after `::` to the end and zero the gap, from the top down.
    const shift = 8 - count;
    for (let g = 7; g >= gap; g--) groups[g] = g >= gap + shift ? groups[g - shift]! : 0;
  }
  for (let w = 0; w < 4; w++) out[w] = ((groups[2 * w]! << 16) | groups[2 * w + 1]!) >>> 0;
  return true;
}

const scratch = new Uint32Array(4);

/** IPv4 (as a number), IPv6 (written into `out`, returns -2), or -1 when `s` is not an address. */
function parseAddress(s: string, out: Uint32Array): number {
  let end = s.indexOf('%');
  if (end === -1) end = s.length;
  if (end === 0) return -1;
  if (s.indexOf(':') === -1) return parseV4(s, 0, end);
  if (!parseV6(s, end, out)) return -1;
  if (out[0] === 0 && out[1] === 0 && out[2] === 0xffff) return out[3]!;
  return -2;
}

function prefixMask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/**
 * Compiles IP/CIDR specifications into a membership test over request addresses. Throws a plain message
 * (via `onInvalid`) for a specification that is neither an address nor a CIDR range.
 *
 * @example compileIpMatcher(['10.0.0.0/8', '::1'], fail)('10.1.2.3') === true
 */
export function compileIpMatcher(
  specs: readonly string[],
  onInvalid: (index: number, message: string) => never,
): (address: string) => boolean {
  const v4: V4Range[] = [];
  const v6: V6Range[] = [];
  specs.forEach((spec, index) => {
    const slash = spec.indexOf('/');
    const addr = slash === -1 ? spec : spec.slice(0, slash);
    const words = new Uint32Array(4);
    const parsed = parseAddress(addr, words);
    const bitsText = slash === -1 ? undefined : spec.slice(slash + 1);
    const isV4 = parsed >= 0;
    const width = isV4 && !addr.includes(':') ? 32 : 128;
    let bits = bitsText === undefined ? width : /^(0|[1-9]\d{0,2})$/.test(bitsText) ? Number(bitsText) : -1;
    if (parsed === -1 || bits < 0 || bits > width || (bitsText !== undefined && addr.includes('%'))) {
      onInvalid(index, `"${spec}" is not an IP address or CIDR range`);
    }
    if (isV4) {
      // An IPv4-mapped IPv6 range (::ffff:a.b.c.d/n, n >= 96) covers IPv4 addresses.
      if (width === 128) bits = Math.max(0, bits - 96);
      const mask = prefixMask(bits);
      v4.push({ net: (parsed & mask) >>> 0, mask });
      return;
    }
    const mask = new Uint32Array(4);
    for (let w = 0; w < 4; w++) {
      mask[w] = prefixMask(Math.min(32, Math.max(0, bits - 32 * w)));
      words[w] = (words[w]! & mask[w]!) >>> 0;
    }
    v6.push({ net: words, mask });
  });
  return (address) => {
    const parsed = parseAddress(address, scratch);
    if (parsed >= 0) {
      for (let r = 0; r < v4.length; r++) if ((parsed & v4[r]!.mask) >>> 0 === v4[r]!.net) return true;
      return false;
    }
    if (parsed === -1) return false;
    outer: for (let r = 0; r < v6.length; r++) {
      const range = v6[r]!;
      for (let w = 0; w < 4; w++) if ((scratch[w]! & range.mask[w]!) >>> 0 !== range.net[w]) continue outer;
      return true;
    }
    return false;
  };
}
