import { bool, defined, get, list, str, table, unknownKeys, type V1Object } from './v1-tree.js';

/** v1 provider sections (top level in v1) that convert; the others are reported as unsupported. */
export const KV_STORES = { etcd: 'etcd', consul: 'consul', zookeeper: 'zooKeeper' } as const;

export const UNSUPPORTED_PROVIDERS = [
  'boltdb',
  'marathon',
  'kubernetes',
  'mesos',
  'eureka',
  'ecs',
  'rancher',
  'dynamodb',
  'servicefabric',
  'consulCatalog',
  'rest',
];

const KV_KEYS = [
  'endpoint',
  'prefix',
  'watch',
  'useAPIV3',
  'tls',
  'username',
  'password',
  'filename',
  'constraints',
];
const DOCKER_KEYS = [
  'endpoint',
  'domain',
  'watch',
  'exposedByDefault',
  'network',
  'tls',
  'useBindPortIP',
  'swarmMode',
  'swarmModeRefreshSeconds',
  'filename',
  'constraints',
];

function clientTls(section: V1Object): V1Object | undefined {
  const tls = table(section, 'tls');
  if (!tls) return undefined;
  return defined({
    ca: str(tls, 'ca'),
    caOptional: bool(tls, 'caOptional'),
    cert: str(tls, 'cert'),
    key: str(tls, 'key'),
    insecureSkipVerify: bool(tls, 'insecureSkipVerify'),
  });
}

/**
 * Converts v1 provider sections into `providers.*`. `[file]` keeps its `filename` (a v1 dynamic file, read
 * through the converter) and `watch` (v1 default true); the loader points the file provider at the v1
 * static file itself when `filename` is absent. KV stores keep v1's key layout under the v1 `prefix`
 * (the KV providers recognise `backends/`/`frontends/` keys and convert them through `convertV1Dynamic`).
 */
export function convertProviders(v1: V1Object, warnings: string[]): V1Object {
  const providers: V1Object = {};
  const throttle = get(v1, 'providersThrottleDuration');
  if (throttle !== undefined) providers.providersThrottleDuration = throttle;

  const file = get(v1, 'file');
  if (file !== undefined) {
    warnings.push(
      ...unknownKeys(file, ['filename', 'directory', 'watch', 'debugLogGeneratedTemplate'], 'file'),
    );
    providers.file = defined({
      filename: str(file, 'filename'),
      directory: str(file, 'directory'),
      watch: bool(file, 'watch') ?? true,
    });
  }

  for (const [v1Name, v3Name] of Object.entries(KV_STORES)) {
    const section = table(v1, v1Name);
    if (!section) continue;
    warnings.push(...unknownKeys(section, KV_KEYS, v1Name));
    const endpoints = list(section, 'endpoint');
    providers[v3Name] = defined({
      endpoints,
      rootKey: str(section, 'prefix') ?? '/traefik',
      username: str(section, 'username'),
      password: str(section, 'password'),
      tls: clientTls(section),
    });
    if (bool(section, 'watch') === false)
      warnings.push(`${v1Name}.watch = false: Switchyard always watches key-value stores`);
    if (v1Name === 'etcd' && bool(section, 'useAPIV3') !== true)
      warnings.push(
        'etcd: v1 defaulted to the etcd v2 API; Switchyard speaks the v3 API only (useAPIV3 = true)',
      );
    if (str(section, 'filename'))
      warnings.push(`${v1Name}.filename: Go templates are not supported; ignored`);
    if (get(section, 'constraints') !== undefined)
      warnings.push(`${v1Name}.constraints are not supported; ignored`);
  }

  const docker = table(v1, 'docker');
  if (docker) {
    warnings.push(...unknownKeys(docker, DOCKER_KEYS, 'docker'));
    const domain = str(docker, 'domain');
    const swarm = bool(docker, 'swarmMode') === true;
    providers[swarm ? 'swarm' : 'docker'] = defined({
      endpoint: str(docker, 'endpoint'),
      watch: bool(docker, 'watch'),
      exposedByDefault: bool(docker, 'exposedByDefault'),
      network: str(docker, 'network'),
      useBindPortIP: bool(docker, 'useBindPortIP'),
      tls: clientTls(docker),
      // v1's default frontend rule was Host:<container>.<domain>.
      defaultRule: domain ? `Host(\`{{ normalize .Name }}.${domain}\`)` : undefined,
    });
    if (get(docker, 'constraints') !== undefined)
      warnings.push('docker.constraints are not converted; ignored');
  }

  for (const name of UNSUPPORTED_PROVIDERS) {
    if (get(v1, name) !== undefined)
      warnings.push(`the v1 "${name}" provider is not supported by the converter; section ignored`);
  }
  return providers;
}
