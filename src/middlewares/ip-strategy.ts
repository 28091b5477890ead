import { BlockList, isIP } from 'node:net';
import { SwitchyardError } from '../core/errors.js';
import type { HttpContext } from '../core/http-context.js';
import type { IpStrategyOptions } from './source-schemas.js';

/** Strips the `::ffff:` of an IPv4-mapped address and the zone of an IPv6 one. */
export function plainIp(address: string): string {
  let ip = address.trim();
  if (ip.startsWith('[')) ip = ip.slice(1, ip.indexOf(']') === -1 ? undefined : ip.indexOf(']'));
  const zone = ip.indexOf('%');
  if (zone !== -1) ip = ip.slice(0, zone);
  if (ip.toLowerCase().startsWith('::ffff:') && isIP(ip.slice(7)) === 4) return ip.slice(7);
  return ip;
}

/** A set of addresses and CIDR ranges, parsed once. */
export class IpRanges {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[], owner: string) {
    for (const raw of entries) {
      const entry = raw.trim();
      const slash = entry.indexOf('/');
      const ip = plainIp(slash === -1 ? entry : entry.slice(0, slash));
      const family = isIP(ip);
      const prefix = slash === -1 ? (family === 6 ? 128 : 32) : Number(entry.slice(slash + 1));
      if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
        throw new SwitchyardError(
          'CONFIG_INVALID',
          `${owner}: ${JSON.stringify(raw)} is not an IP address or CIDR range`,
        );
      }
      this.list.addSubnet(ip, prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
    this.size = entries.length;
  }

  contains(address: string): boolean {
    const ip = plainIp(address);
    const family = isIP(ip);
    if (family === 0) return false;
    return this.list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** Masks an IPv6 address to the first address of its /bits subnet; IPv4 is returned unchanged. */
export function maskIpv6(ip: string, bits: number): string {
  if (isIP(ip) !== 6) return ip;
  const groups = expandIpv6(ip);
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    const keep = Math.max(0, Math.min(16, bits - i * 16));
    const mask = keep === 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
    out.push((groups[i]! & mask).toString(16));
  }
  return out.join(':');
}

function expandIpv6(ip: string): number[] {
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    text = `${text.slice(0, v4.index)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => Number.parseInt(g, 16));
}

/** Returns the client address a strategy selects ('' when none, e.g. depth beyond the list). */
export type IpSelector = (ctx: HttpContext) => string;

/**
 * Prepares an `ipStrategy`: `depth` > 0 takes the depth-th X-Forwarded-For entry from the right (none
 * when the list is shorter); else `excludedIPs` takes the right-most entry not excluded; else the peer
 * address. `ipv6Subnet` then masks an IPv6 result.
 */
export function ipSelector(options: IpStrategyOptions | undefined, owner: string): IpSelector {
  const depth = options?.depth ?? 0;
  const excluded = options?.excludedIPs?.length ? new IpRanges(options.excludedIPs, owner) : undefined;
  const subnet = options?.ipv6Subnet;
  const finish = subnet === undefined ? (ip: string) => ip : (ip: string) => maskIpv6(ip, subnet);
  if (depth > 0) {
    return (ctx) => {
      const list = forwardedFor(ctx);
      return list.length >= depth ? finish(plainIp(list[list.length - depth]!)) : '';
    };
  }
  if (excluded) {
    return (ctx) => {
      const list = forwardedFor(ctx);
      for (let i = list.length - 1; i >= 0; i--) {
        const ip = plainIp(list[i]!);
        if (!excluded.contains(ip)) return finish(ip);
      }
      return '';
    };
  }
  return (ctx) => finish(plainIp(ctx.clientIp));
}

function forwardedFor(ctx: HttpContext): string[] {
  const raw = ctx.req.headers['x-forwarded-for'];
  if (raw === undefined) return [];
  const text = Array.isArray(raw) ? raw.join(',') : raw;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
