import { Type } from '@sinclair/typebox';
import type { BalancerDefinition } from '../contract.js';
import { HrwBalancer } from './hrw.js';
import { LeastTimeBalancer } from './leasttime.js';
import type { BalancerMember } from './member.js';
import { P2cBalancer } from './p2c.js';
import { WrrBalancer } from './wrr.js';

export type Strategy = 'wrr' | 'p2c' | 'hrw' | 'leasttime';

const isUp = (s: BalancerMember): boolean => s.health.up;

/** A strategy takes no options of its own (the loadBalancer's options configure it). */
const NoOptions = Type.Object({}, { additionalProperties: false });

/** The balancers by `loadBalancer.strategy` (a list, not a switch: the contract suite walks it). */
export const BALANCER_DEFINITIONS: readonly BalancerDefinition[] = [
  { type: 'wrr', schema: NoOptions, learning: false, create: (servers) => new WrrBalancer(servers, isUp) },
  { type: 'p2c', schema: NoOptions, learning: true, create: (servers) => new P2cBalancer(servers) },
  { type: 'hrw', schema: NoOptions, learning: false, create: (servers) => new HrwBalancer(servers) },
  {
    type: 'leasttime',
    schema: NoOptions,
    learning: true,
    create: (servers) => new LeastTimeBalancer(servers),
  },
];
