import { Registry } from '../core/registry.js';
import type { ServiceDefinition } from './contract.js';
import { loadBalancerService } from './loadbalancer/index.js';

/**
 * The HTTP service kinds, by configuration key. The graph builder looks a service's kind up here.
 * `weighted`, `mirroring`, `failover` and `highestRandomWeight` are added to this list as they land.
 */
export const serviceRegistry = new Registry<ServiceDefinition>('service kind', [
  [loadBalancerService.kind, loadBalancerService as ServiceDefinition],
]);
