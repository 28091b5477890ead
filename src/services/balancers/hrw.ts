import type { HttpContext } from '../../core/http-context.js';
import type { Balancer } from '../contract.js';
import type { BalancerMember } from './member.js';

/**
 * Highest random weight (rendezvous hashing) on the client IP: every (client, server) pair gets a
 * pseudo-random score scaled by the server's weight, the highest up server wins. A client keeps its
 * server while that server is up; when one leaves, only its clients move. No allocation per pick.
 */
export class HrwBalancer<S extends BalancerMember> implements Balancer<S> {
  private readonly servers: S[];
  private readonly seeds: Uint32Array;

  constructor(servers: readonly S[]) {
    this.servers = servers.filter((s) => s.weight > 0);
    this.seeds = Uint32Array.from(this.servers, (s) => fnv1a(s.url, 0x811c9dc5));
  }

  pick(ctx?: HttpContext): S | undefined {
    const key = fnv1a(ctx?.clientIp ?? '', 0x811c9dc5);
    const servers = this.servers;
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < servers.length; i++) {
      const s = servers[i]!;
      if (!s.health.up) continue;
      // Uniform in (0, 1) from the pair's hash; -w / ln(u) makes P(win) proportional to weight.
      const u = (mix(key ^ this.seeds[i]!) + 0.5) / 4294967296;
      const score = -s.weight / Math.log(u);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best < 0 ? undefined : servers[best];
  }
}

/** 32-bit FNV-1a over the UTF-16 code units of `s`. */
export function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** murmur3's finalizer: spreads every input bit over the output. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
