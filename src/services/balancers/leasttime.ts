import type { Balancer } from '../contract.js';
import type { BalancerMember } from './member.js';

/**
 * Least time: the score of a server is `ttfb × (1 + in flight) / weight` (lower wins); servers with the
 * best score share the traffic by smooth weighted round robin, so with no measurements yet (all scores
 * 0) the split follows weights exactly. No allocation per pick.
 */
export class LeastTimeBalancer<S extends BalancerMember> implements Balancer<S> {
  private readonly servers: S[];
  private readonly current: Float64Array;

  constructor(servers: readonly S[]) {
    this.servers = servers.filter((s) => s.weight > 0);
    this.current = new Float64Array(this.servers.length);
  }

  pick(): S | undefined {
    const servers = this.servers;
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < servers.length; i++) {
      const s = servers[i]!;
      if (s.health.up) min = Math.min(min, score(s));
    }
    if (min === Number.POSITIVE_INFINITY) return undefined;
    const limit = min * (1 + 1e-9);
    const current = this.current;
    let best = -1;
    let total = 0;
    for (let i = 0; i < servers.length; i++) {
      const s = servers[i]!;
      if (!s.health.up || score(s) > limit) continue;
      const c = current[i]! + s.weight;
      current[i] = c;
      total += s.weight;
      if (best < 0 || c > current[best]!) best = i;
    }
    current[best]! -= total;
    return servers[best];
  }
}

function score(s: BalancerMember): number {
  return (s.health.ttfbMs * (1 + s.health.inflight)) / s.weight;
}
