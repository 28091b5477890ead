import { Registry } from '../core/registry.js';
import { BALANCER_DEFINITIONS } from './balancers/index.js';
import type { BalancerDefinition, ServiceDefinition } from './contract.js';
import { failoverService } from './failover/index.js';
import { loadBalancerService } from './loadbalancer/index.js';
import { mirroringService } from './mirroring/index.js';
import { originalDestinationService } from './originaldestination/index.js';
import { highestRandomWeightService, weightedService } from './weighted/index.js';

/** Every HTTP service kind, in one list. */
export const SERVICE_DEFINITIONS: readonly ServiceDefinition[] = [
  loadBalancerService,
  weightedService,
  highestRandomWeightService,
  mirroringService,
  failoverService,
  originalDestinationService,
] as readonly ServiceDefinition[];

/** A fresh registry of the HTTP service kinds, by configuration key; the graph builder looks kinds up here. */
export function builtinServices(): Registry<ServiceDefinition> {
  return Registry.of('service kind', SERVICE_DEFINITIONS);
}

/** A fresh registry of the load-balancing strategies, by `loadBalancer.strategy`. */
export function builtinBalancers(): Registry<BalancerDefinition> {
  return Registry.of('load-balancing strategy', BALANCER_DEFINITIONS);
}
