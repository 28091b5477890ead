import { Registry } from '../core/registry.js';
import type { ServiceDefinition } from './contract.js';
import { failoverService } from './failover/index.js';
import { loadBalancerService } from './loadbalancer/index.js';
import { mirroringService } from './mirroring/index.js';
import { originalDestinationService } from './originaldestination/index.js';
import { highestRandomWeightService, weightedService } from './weighted/index.js';

/**
 * The HTTP service kinds, by configuration key. The graph builder looks a service's kind up here.
 */
export const serviceRegistry = new Registry<ServiceDefinition>('service kind', [
  [loadBalancerService.kind, loadBalancerService as ServiceDefinition],
  [weightedService.kind, weightedService as ServiceDefinition],
  [highestRandomWeightService.kind, highestRandomWeightService as ServiceDefinition],
  [mirroringService.kind, mirroringService as ServiceDefinition],
  [failoverService.kind, failoverService as ServiceDefinition],
  [originalDestinationService.kind, originalDestinationService as ServiceDefinition],
]);
