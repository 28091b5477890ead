import type { Logger } from '../../core/logger.js';
import type { ProviderIssue, ProviderSnapshot } from '../contract.js';
import { type ContainerRules, containerConfig, exclusion } from './container-config.js';
import type { ContainerData } from './containers.js';
import { isConfigLabel, type Tree } from './labels.js';
import { type Contribution, mergeContributions } from './merge-configs.js';
import { hasV1Labels, v1ContainerConfig } from './v1-labels.js';

/**
 * The provider's whole configuration from the running containers: each kept container contributes its
 * labels' configuration (v2/v3 labels; v1 labels through the v1 converter when a container has no v3
 * ones), merged as Traefik merges them. Problems become snapshot issues naming the container.
 */
export function buildSnapshot(
  containers: readonly ContainerData[],
  rules: ContainerRules,
  log?: Logger,
): ProviderSnapshot {
  const issues: ProviderIssue[] = [];
  const contributions: Contribution[] = [];
  for (const container of containers) {
    const source = `container ${container.name}`;
    const excluded = exclusion(container, rules);
    if (excluded) {
      if (excluded.startsWith('traefik.enable')) issues.push({ message: excluded, source });
      else log?.debug(`container left out: ${excluded}`, { container: container.name });
      continue;
    }
    const useV1 = !Object.keys(container.labels).some(isConfigLabel) && hasV1Labels(container.labels);
    const result = useV1 ? v1ContainerConfig(container, rules) : containerConfig(container, rules);
    for (const note of result.notes) log?.info(note, { container: container.name });
    for (const message of result.errors) issues.push({ message, source });
    if (result.config) contributions.push({ container: container.name, config: result.config });
  }
  const merged = mergeContributions(contributions);
  for (const message of merged.errors) issues.push({ message, source: 'docker' });
  return { config: merged.config satisfies Tree, issues };
}
