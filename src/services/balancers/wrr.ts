import type { HttpContext } from '../../core/http-context.js';
import type { Balancer } from '../contract.js';

/** What the weighted round robin needs to know about a server. */
export interface WeightedServer {
  /** Share of the traffic; 0 (or less) means never picked. */
  readonly weight: number;
}

/**
 * Smooth weighted round robin (the nginx algorithm): on each pick every available server gains its
 * weight, the richest is picked and pays back the total. Over any full cycle each server is picked exactly
 * `weight` times, and picks are interleaved (weights 5,1,1 give a a b a c a a) rather than bunched.
 * O(servers) per pick with no allocation, which beats a heap for the handful of servers a service has.
 * Servers for which `isUp` says false are skipped (their turns go to the others); weight-0 servers are
 * dropped at construction.
 *
 * @example
 *   const wrr = new WrrBalancer([{ weight: 3, url: 'a' }, { weight: 1, url: 'b' }]);
 *   wrr.pick(ctx); // a, a, b, a, …
 */
export class WrrBalancer<S extends WeightedServer> implements Balancer<S> {
  private readonly servers: S[];
  private readonly weights: Float64Array;
  private readonly current: Float64Array;

  constructor(
    servers: readonly S[],
    private readonly isUp?: (server: S) => boolean,
  ) {
    this.servers = servers.filter((s) => s.weight > 0);
    this.weights = Float64Array.from(this.servers, (s) => s.weight);
    this.current = new Float64Array(this.servers.length);
  }

  /** Number of servers that can ever be picked (weight > 0). */
  get size(): number {
    return this.servers.length;
  }

  pick(_ctx?: HttpContext): S | undefined {
    const servers = this.servers;
    const n = servers.length;
    const isUp = this.isUp;
    if (n === 1) {
      const only = servers[0]!;
      return isUp === undefined || isUp(only) ? only : undefined;
    }
    const weights = this.weights;
    const current = this.current;
    let best = -1;
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (isUp !== undefined && !isUp(servers[i]!)) continue;
      const w = weights[i]!;
      const c = current[i]! + w;
      current[i] = c;
      total += w;
      if (best < 0 || c > current[best]!) best = i;
    }
    if (best < 0) return undefined;
    current[best]! -= total;
    return servers[best];
  }
}
