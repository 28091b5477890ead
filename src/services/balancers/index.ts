import type { Balancer } from '../contract.js';
import { HrwBalancer } from './hrw.js';
import { LeastTimeBalancer } from './leasttime.js';
import type { BalancerMember } from './member.js';
import { P2cBalancer } from './p2c.js';
import { WrrBalancer } from './wrr.js';

export type Strategy = 'wrr' | 'p2c' | 'hrw' | 'leasttime';

const isUp = (s: BalancerMember): boolean => s.health.up;

/** The balancers by `loadBalancer.strategy` (a table, not a switch: the contract suite walks it). */
export const BALANCERS: Record<Strategy, <S extends BalancerMember>(servers: readonly S[]) => Balancer<S>> = {
  wrr: (servers) => new WrrBalancer(servers, isUp),
  p2c: (servers) => new P2cBalancer(servers),
  hrw: (servers) => new HrwBalancer(servers),
  leasttime: (servers) => new LeastTimeBalancer(servers),
};

/** Whether a strategy reads requests in flight / time to first byte (the handler then keeps count). */
export const LEARNING: ReadonlySet<Strategy> = new Set<Strategy>(['p2c', 'leasttime']);
