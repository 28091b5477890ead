import { type TProperties, Type } from '@sinclair/typebox';
import { PROVIDER_PRECEDENCE } from '../../router/http/provider-precedence.js';
import { Duration, Secret, StringList } from '../schema/kinds.js';
import { ClientTlsSchema } from './schema-client-tls.js';
import {
  ConsulCatalogSchema,
  EcsSchema,
  KnativeSchema,
  KubernetesCrdSchema,
  KubernetesGatewaySchema,
  KubernetesIngressNginxSchema,
  KubernetesIngressSchema,
  NomadSchema,
} from './schema-providers-foreign.js';

const closed = { additionalProperties: false } as const;

/** Traefik's tie-break order between providers when routers have equal priority (first wins). */
export const DEFAULT_PROVIDER_PRECEDENCE: string[] = [...PROVIDER_PRECEDENCE];

/** `providers.file`: one of `filename` or `directory` must be set (checked by the loader). */
export const FileProviderSchema = Type.Object(
  {
    filename: Type.Optional(Type.String({ minLength: 1, description: 'one dynamic configuration file' })),
    directory: Type.Optional(
      Type.String({ minLength: 1, description: 'a directory of dynamic configuration files, read together' }),
    ),
    watch: Type.Boolean({ default: true, description: 'apply changes to the files as they happen' }),
    debugLogGeneratedTemplate: Type.Boolean({ default: false }),
  },
  closed,
);

const HttpProvider = Type.Object(
  {
    endpoint: Type.String({ minLength: 1 }),
    pollInterval: Duration({ default: 5_000, minimum: 0 }),
    pollTimeout: Duration({ default: 5_000, minimum: 0 }),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    tls: Type.Optional(ClientTlsSchema),
    maxResponseBodySize: Type.Integer({ default: -1, description: 'bytes; -1 means no limit' }),
  },
  closed,
);

/** The options shared by the key-value providers; `endpoints` defaults differ per store. */
function kvProvider<T extends TProperties>(defaultEndpoint: string, extra: T) {
  return Type.Object(
    {
      endpoints: StringList({ default: [defaultEndpoint] }),
      rootKey: Type.String({ default: 'traefik', minLength: 1 }),
      ...extra,
    },
    closed,
  );
}

/**
 * Switchyard's per-cluster alias switch for the KV providers (not in Traefik): `aliasKey` names a key whose
 * value is the directory holding this instance's configuration; `aliasEndpoint` optionally fetches that
 * configuration from an HTTP service instead (`{alias}` in the URL is replaced by the alias value).
 */
const alias = {
  aliasKey: Type.Optional(Type.String({ minLength: 1 })),
  aliasEndpoint: Type.Optional(Type.String({ minLength: 1 })),
};

const credentials = { username: Type.Optional(Type.String()), password: Type.Optional(Secret()) };

const Sentinel = Type.Object(
  {
    masterName: Type.String({ minLength: 1 }),
    ...credentials,
    latencyStrategy: Type.Boolean({ default: false }),
    randomStrategy: Type.Boolean({ default: false }),
    replicaStrategy: Type.Boolean({ default: false }),
    useDisconnectedReplicas: Type.Boolean({ default: false }),
  },
  closed,
);

/** The label-driven providers' shared options (docker, swarm). */
function containerProvider<T extends TProperties>(extra: T) {
  return Type.Object(
    {
      endpoint: Type.String({ default: 'unix:///var/run/docker.sock' }),
      tls: Type.Optional(ClientTlsSchema),
      ...credentials,
      exposedByDefault: Type.Boolean({ default: true }),
      useBindPortIP: Type.Boolean({ default: false }),
      network: Type.Optional(Type.String()),
      defaultRule: Type.String({ default: 'Host(`{{ normalize .Name }}`)' }),
      constraints: Type.Optional(Type.String()),
      allowEmptyServices: Type.Boolean({ default: false }),
      httpClientTimeout: Duration({ default: 0, minimum: 0 }),
      ...extra,
    },
    closed,
  );
}

/** `providers` (reference §1.3). Each provider key present means that provider is enabled. */
export const ProvidersSchema = Type.Object(
  {
    providersThrottleDuration: Duration({
      default: 2_000,
      minimum: 0,
      description: 'at most one new configuration per provider in this time (the latest wins)',
    }),
    precedence: StringList({ default: DEFAULT_PROVIDER_PRECEDENCE }),
    file: Type.Optional(FileProviderSchema),
    http: Type.Optional(HttpProvider),
    rest: Type.Optional(Type.Object({ insecure: Type.Boolean({ default: false }) }, closed)),
    etcd: Type.Optional(
      kvProvider('127.0.0.1:2379', { ...credentials, ...alias, tls: Type.Optional(ClientTlsSchema) }),
    ),
    consul: Type.Optional(
      kvProvider('127.0.0.1:8500', {
        token: Type.Optional(Secret()),
        namespaces: Type.Optional(StringList()),
        tls: Type.Optional(ClientTlsSchema),
      }),
    ),
    redis: Type.Optional(
      kvProvider('127.0.0.1:6379', {
        ...credentials,
        ...alias,
        db: Type.Integer({ default: 0, minimum: 0 }),
        tls: Type.Optional(ClientTlsSchema),
        sentinel: Type.Optional(Sentinel),
      }),
    ),
    zooKeeper: Type.Optional(kvProvider('127.0.0.1:2181', { ...credentials, ...alias })),
    docker: Type.Optional(containerProvider({ watch: Type.Boolean({ default: true }) })),
    swarm: Type.Optional(
      containerProvider({
        watch: Type.Boolean({ default: true }),
        refreshSeconds: Duration({ default: 15_000, minimum: 0 }),
      }),
    ),
    kubernetesCRD: Type.Optional(KubernetesCrdSchema),
    kubernetesIngress: Type.Optional(KubernetesIngressSchema),
    kubernetesGateway: Type.Optional(KubernetesGatewaySchema),
    kubernetesIngressNGINX: Type.Optional(KubernetesIngressNginxSchema),
    knative: Type.Optional(KnativeSchema),
    consulCatalog: Type.Optional(ConsulCatalogSchema),
    nomad: Type.Optional(NomadSchema),
    ecs: Type.Optional(EcsSchema),
    plugin: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()))),
  },
  { default: {}, additionalProperties: false },
);
