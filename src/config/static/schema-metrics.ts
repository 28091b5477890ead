import { Type } from '@sinclair/typebox';
import { CSV, Duration, Secret } from '../schema/kinds.js';
import { otlpTransports } from './schema-otlp.js';

const closed = { additionalProperties: false } as const;

const labels = {
  addEntryPointsLabels: Type.Boolean({ default: true }),
  addRoutersLabels: Type.Boolean({ default: false }),
  addServicesLabels: Type.Boolean({ default: true }),
};

const pushInterval = () => Duration({ default: 10_000, minimum: 1 });

const Prometheus = Type.Object(
  {
    ...labels,
    // "0.1,0.3,1.2,5.0" loads from a file too, as in Traefik.
    buckets: Type.Array(Type.Number(), { default: [0.1, 0.3, 1.2, 5.0], [CSV]: true }),
    entryPoint: Type.String({ default: 'traefik' }),
    manualRouting: Type.Boolean({ default: false }),
    headerLabels: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  closed,
);

const statsLike = (address: string) =>
  Type.Object(
    {
      ...labels,
      address: Type.String({ default: address }),
      pushInterval: pushInterval(),
      prefix: Type.String({ default: 'traefik' }),
    },
    closed,
  );

const InfluxDB2 = Type.Object(
  {
    ...labels,
    address: Type.String({ default: 'http://localhost:8086' }),
    token: Type.Optional(Secret()),
    pushInterval: pushInterval(),
    org: Type.Optional(Type.String()),
    bucket: Type.Optional(Type.String()),
    additionalLabels: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  closed,
);

const Otlp = Type.Object(
  {
    ...labels,
    ...otlpTransports('https://localhost:4318/v1/metrics'),
    explicitBoundaries: Type.Array(Type.Number(), {
      default: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    }),
    pushInterval: pushInterval(),
    serviceName: Type.String({ default: 'traefik' }),
    resourceAttributes: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  closed,
);

/** `metrics` (reference §1.5): each backend key present enables that backend. */
export const MetricsSchema = Type.Object(
  {
    addInternals: Type.Boolean({ default: false }),
    prometheus: Type.Optional(Prometheus),
    datadog: Type.Optional(statsLike('localhost:8125')),
    statsD: Type.Optional(statsLike('localhost:8125')),
    influxDB2: Type.Optional(InfluxDB2),
    otlp: Type.Optional(Otlp),
  },
  closed,
);
