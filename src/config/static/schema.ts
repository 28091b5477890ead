import { type Static, Type } from '@sinclair/typebox';
import { CertificateResolverSchema } from './schema-acme.js';
import { ApiSchema, PingSchema } from './schema-api.js';
import { EntryPointSchema } from './schema-entrypoints.js';
import {
  CoreSchema,
  ExperimentalSchema,
  GlobalSchema,
  HostResolverSchema,
  OcspSchema,
  SpiffeClientSchema,
} from './schema-global.js';
import { AccessLogSchema, LogSchema, TracingSchema } from './schema-logs.js';
import { MetricsSchema } from './schema-metrics.js';
import { ProvidersSchema } from './schema-providers.js';
import { ServersTransportSchema, TcpServersTransportSchema } from './schema-transports.js';

/**
 * The whole static (install) configuration, Traefik v3 keys and defaults (reference §1). Sections that are
 * always in effect (`entryPoints`, `providers`, `log`, `global`, `core`, transports) are always present in
 * the normalized value with their defaults; sections whose presence switches a feature on (`api`, `ping`,
 * `metrics`, `tracing`, `accessLog`, each provider …) are present only when configured. Durations are
 * milliseconds.
 */
export const staticSchema = Type.Object(
  {
    global: GlobalSchema,
    core: CoreSchema,
    entryPoints: Type.Record(Type.String(), EntryPointSchema, { default: {} }),
    providers: ProvidersSchema,
    api: Type.Optional(ApiSchema),
    ping: Type.Optional(PingSchema),
    log: LogSchema,
    accessLog: Type.Optional(AccessLogSchema),
    metrics: Type.Optional(MetricsSchema),
    tracing: Type.Optional(TracingSchema),
    serversTransport: ServersTransportSchema,
    tcpServersTransport: TcpServersTransportSchema,
    certificatesResolvers: Type.Record(Type.String(), CertificateResolverSchema, { default: {} }),
    hostResolver: Type.Optional(HostResolverSchema),
    spiffe: Type.Optional(SpiffeClientSchema),
    ocsp: Type.Optional(OcspSchema),
    experimental: Type.Optional(ExperimentalSchema),
    workers: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          'processes serving the entrypoints (Switchyard extension); default: every available core; 1: one process, no fork',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The top-level sections of the static configuration (a file may also hold the dynamic ones). */
export const STATIC_SECTIONS: readonly string[] = Object.keys(staticSchema.properties);

/** The normalized static configuration. */
export type StaticConfig = Static<typeof staticSchema>;

export { type EntryPointConfig, EntryPointSchema } from './schema-entrypoints.js';
