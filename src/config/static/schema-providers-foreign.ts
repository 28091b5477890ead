import { Type } from '@sinclair/typebox';
import { Duration, Secret, StringList } from '../schema/kinds.js';
import { ClientTlsSchema } from './schema-client-tls.js';

/*
 * Providers Traefik has and Switchyard reads but does not run (Kubernetes, Knative, Consul Catalog, Nomad,
 * ECS). Their schemas are open (unknown keys are kept, not reported) so that a Traefik configuration using
 * them still loads; the keys typed here are the common ones and every credential, so that redaction works.
 */

const open = { additionalProperties: true } as const;

const kubernetesCommon = {
  endpoint: Type.Optional(Type.String()),
  token: Type.Optional(Secret()),
  certAuthFilePath: Type.Optional(Type.String()),
  namespaces: Type.Optional(StringList()),
  labelSelector: Type.Optional(Type.String()),
  throttleDuration: Type.Optional(Duration({ minimum: 0 })),
  nativeLBByDefault: Type.Boolean({ default: false }),
};

const labelProviderCommon = {
  exposedByDefault: Type.Boolean({ default: true }),
  defaultRule: Type.String({ default: 'Host(`{{ normalize .Name }}`)' }),
  constraints: Type.Optional(Type.String()),
  refreshInterval: Duration({ default: 15_000, minimum: 0 }),
  prefix: Type.String({ default: 'traefik' }),
};

/** `providers.kubernetesCRD`. */
export const KubernetesCrdSchema = Type.Object(
  {
    ...kubernetesCommon,
    ingressClass: Type.Optional(Type.String()),
    allowCrossNamespace: Type.Boolean({ default: false }),
    allowExternalNameServices: Type.Boolean({ default: false }),
    allowEmptyServices: Type.Boolean({ default: false }),
    disableClusterScopeResources: Type.Boolean({ default: false }),
  },
  open,
);

/** `providers.kubernetesIngress`. */
export const KubernetesIngressSchema = Type.Object(
  {
    ...kubernetesCommon,
    ingressClass: Type.Optional(Type.String()),
    ingressEndpoint: Type.Optional(
      Type.Object(
        {
          ip: Type.Optional(Type.String()),
          hostname: Type.Optional(Type.String()),
          publishedService: Type.Optional(Type.String()),
        },
        open,
      ),
    ),
    allowExternalNameServices: Type.Boolean({ default: false }),
    allowEmptyServices: Type.Boolean({ default: false }),
    strictPrefixMatching: Type.Boolean({ default: false }),
    reportNodeInternalIPs: Type.Boolean({ default: false }),
  },
  open,
);

/** `providers.kubernetesGateway`. */
export const KubernetesGatewaySchema = Type.Object(
  { ...kubernetesCommon, experimentalChannel: Type.Boolean({ default: false }) },
  open,
);

/** `providers.kubernetesIngressNGINX`. */
export const KubernetesIngressNginxSchema = Type.Object(
  {
    endpoint: Type.Optional(Type.String()),
    token: Type.Optional(Secret()),
    certAuthFilePath: Type.Optional(Type.String()),
    ingressClass: Type.String({ default: 'nginx' }),
    controllerClass: Type.Optional(Type.String()),
  },
  open,
);

/** `providers.knative`. */
export const KnativeSchema = Type.Object(kubernetesCommon, open);

const HttpAuth = Type.Object(
  { username: Type.Optional(Type.String()), password: Type.Optional(Secret()) },
  open,
);

/** `providers.consulCatalog`. */
export const ConsulCatalogSchema = Type.Object(
  {
    ...labelProviderCommon,
    endpoint: Type.Optional(
      Type.Object(
        {
          address: Type.Optional(Type.String()),
          scheme: Type.Optional(Type.String()),
          datacenter: Type.Optional(Type.String()),
          token: Type.Optional(Secret()),
          httpAuth: Type.Optional(HttpAuth),
          tls: Type.Optional(ClientTlsSchema),
          endpointWaitTime: Type.Optional(Duration({ minimum: 0 })),
        },
        open,
      ),
    ),
    serviceName: Type.String({ default: 'traefik' }),
    strictChecks: StringList({ default: ['passing', 'warning'] }),
    watch: Type.Boolean({ default: false }),
    namespaces: Type.Optional(StringList()),
  },
  open,
);

/** `providers.nomad`. */
export const NomadSchema = Type.Object(
  {
    ...labelProviderCommon,
    endpoint: Type.Optional(
      Type.Object(
        {
          address: Type.String({ default: 'http://127.0.0.1:4646' }),
          region: Type.Optional(Type.String()),
          token: Type.Optional(Secret()),
          tls: Type.Optional(ClientTlsSchema),
        },
        open,
      ),
    ),
    namespaces: Type.Optional(StringList()),
    watch: Type.Boolean({ default: false }),
    allowEmptyServices: Type.Boolean({ default: false }),
  },
  open,
);

/** `providers.ecs`. */
export const EcsSchema = Type.Object(
  {
    exposedByDefault: Type.Boolean({ default: true }),
    defaultRule: Type.String({ default: 'Host(`{{ normalize .Name }}`)' }),
    constraints: Type.Optional(Type.String()),
    clusters: StringList({ default: ['default'] }),
    autoDiscoverClusters: Type.Boolean({ default: false }),
    region: Type.Optional(Type.String()),
    accessKeyID: Type.Optional(Secret()),
    secretAccessKey: Type.Optional(Secret()),
    refreshSeconds: Duration({ default: 15_000, minimum: 0 }),
    healthyTasksOnly: Type.Boolean({ default: false }),
    ecsAnywhere: Type.Boolean({ default: false }),
  },
  open,
);
