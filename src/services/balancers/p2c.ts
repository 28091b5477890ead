import type { Balancer } from '../contract.js';
import type { BalancerMember } from './member.js';

/**
 * Power of two choices: draw two servers at random (in proportion to their weights), send to the one
 * with fewer requests in flight; ties go to the first draw, so with no load the split follows weights.
 * Down and weight-0 servers are never drawn. No allocation per pick.
 */
export class P2cBalancer<S extends BalancerMember> implements Balancer<S> {
  private readonly servers: S[];

  constructor(
    servers: readonly S[],
    private readonly random: () => number = Math.random,
  ) {
    this.servers = servers.filter((s) => s.weight > 0);
  }

  pick(): S | undefined {
    const servers = this.servers;
    let total = 0;
    for (let i = 0; i < servers.length; i++) {
      const s = servers[i]!;
      if (s.health.up) total += s.weight;
    }
    if (total === 0) return undefined;
    const a = this.draw(total);
    const b = this.draw(total);
    return b.health.inflight < a.health.inflight ? b : a;
  }

  private draw(total: number): S {
    const servers = this.servers;
    let r = this.random() * total;
    let last: S | undefined;
    for (let i = 0; i < servers.length; i++) {
      const s = servers[i]!;
      if (!s.health.up) continue;
      last = s;
      r -= s.weight;
      if (r < 0) return s;
    }
    return last!;
  }
}
