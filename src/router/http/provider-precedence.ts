/**
 * Traefik's default `providers.precedence`: when routers of different providers have the same priority,
 * the one whose provider comes first here wins. Providers not listed (e.g. `internal`) come after all.
 */
export const PROVIDER_PRECEDENCE: readonly string[] = [
  'kubernetesgateway',
  'kubernetescrd',
  'kubernetes',
  'kubernetesingressnginx',
  'swarm',
  'docker',
  'file',
  'redis',
  'knative',
  'consul',
  'consulcatalog',
  'nomad',
  'etcd',
  'ecs',
  'http',
  'zookeeper',
  'rest',
];

/** The provider part of a qualified name (`web@file` → `file`), or undefined. */
export function providerOfName(name: string): string | undefined {
  const at = name.lastIndexOf('@');
  return at === -1 ? undefined : name.slice(at + 1);
}

/** Rank of a provider under a precedence list: lower wins; unknown providers rank last. */
export function providerRank(provider: string | undefined, precedence: readonly string[]): number {
  if (provider === undefined) return precedence.length;
  const index = precedence.indexOf(provider.toLowerCase());
  return index === -1 ? precedence.length : index;
}
