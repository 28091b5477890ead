import { convertV1Labels } from '../../config/v1/index.js';
import { containerIp } from './address.js';
import type { ContainerResult, ContainerRules } from './container-config.js';
import type { ContainerData } from './containers.js';
import { isTree } from './labels.js';

const V1_KEYS = 'frontend|backend|port|protocol|weight|domain|tags';

/** True when the container carries Traefik v1 labels (`traefik.frontend.rule`, `traefik.<segment>.port`…). */
export function hasV1Labels(labels: Readonly<Record<string, string>>): boolean {
  const plain = new RegExp(`^traefik\\.(${V1_KEYS})(\\.|$)`, 'i');
  const segment = new RegExp(`^traefik\\.[^.]+\\.(${V1_KEYS})(\\.|$)`, 'i');
  return Object.keys(labels).some(
    (k) => plain.test(k) || (segment.test(k) && !/^traefik\.(docker|swarm)\./i.test(k)),
  );
}

/**
 * A v1-labelled container's configuration, through the shared v1 converter (`traefik.backend`,
 * `traefik.frontend.rule`, `traefik.port`, `traefik.weight`, `traefik.protocol`, segments…). The address
 * is chosen as for v3 labels (`traefik.docker.network`, then the provider's `network`).
 */
export function v1ContainerConfig(container: ContainerData, rules: ContainerRules): ContainerResult {
  const notes: string[] = [];
  const network = container.labels['traefik.docker.network'] || rules.network;
  const ip = containerIp(container, network, notes);
  const ports = Object.keys(container.ports)
    .map((p) => Number.parseInt(p, 10))
    .filter((n) => Number.isInteger(n) && n > 0);
  const converted = convertV1Labels({ ...container.labels }, { name: container.name, ip, ports });
  const result: ContainerResult = {
    errors: [
      ...converted.warnings.map((w) => `v1 labels: ${w}`),
      ...converted.errors.map((e) => `v1 labels: ${e.message}`),
    ],
    notes,
  };
  if (isTree(converted.config)) result.config = converted.config;
  return result;
}
