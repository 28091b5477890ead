import { type Static, Type } from '@sinclair/typebox';
import { Duration, StringList } from '../schema/kinds.js';

export const StickyCookie = Type.Object(
  {
    name: Type.Optional(Type.String()),
    secure: Type.Optional(Type.Boolean({ default: false })),
    httpOnly: Type.Optional(Type.Boolean({ default: false })),
    sameSite: Type.Optional(
      Type.Union([Type.Literal(''), Type.Literal('none'), Type.Literal('lax'), Type.Literal('strict')]),
    ),
    maxAge: Type.Optional(Type.Integer({ default: 0 })),
    path: Type.Optional(Type.String({ default: '/' })),
    domain: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type StickyCookie = Static<typeof StickyCookie>;

export const Sticky = Type.Object({ cookie: Type.Optional(StickyCookie) }, { additionalProperties: false });

export const HealthCheck = Type.Object(
  {
    scheme: Type.Optional(Type.String()),
    mode: Type.Optional(Type.Union([Type.Literal('http'), Type.Literal('grpc')])),
    path: Type.Optional(Type.String({ description: 'path requested on each server, e.g. /health' })),
    method: Type.Optional(Type.String()),
    status: Type.Optional(
      Type.Integer({ description: 'the status a healthy server answers; default: any 2xx or 3xx' }),
    ),
    port: Type.Optional(Type.Integer()),
    interval: Type.Optional(
      Duration({ default: 30_000, description: 'time between two checks of a server' }),
    ),
    unhealthyInterval: Type.Optional(Duration()),
    timeout: Type.Optional(Duration({ default: 5_000, description: 'a check not answered in time fails' })),
    hostname: Type.Optional(Type.String()),
    followRedirects: Type.Optional(Type.Boolean({ default: true })),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);

export const PassiveHealthCheck = Type.Object(
  {
    failureWindow: Type.Optional(Duration({ default: 10_000 })),
    maxFailedAttempts: Type.Optional(Type.Integer({ default: 1 })),
  },
  { additionalProperties: false },
);

export const Server = Type.Object(
  {
    url: Type.String({
      description: 'the server, e.g. http://10.0.0.5:8080 (h2c:// for HTTP/2 without TLS)',
    }),
    weight: Type.Optional(Type.Integer({ minimum: 0, default: 1, description: 'share of requests (wrr)' })),
    preservePath: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type Server = Static<typeof Server>;

/** `loadBalancer` service (reference §2.3). */
export const LoadBalancer = Type.Object(
  {
    servers: Type.Array(Server, { default: [] }),
    strategy: Type.Optional(
      Type.Union([Type.Literal('wrr'), Type.Literal('p2c'), Type.Literal('hrw'), Type.Literal('leasttime')], {
        default: 'wrr',
        description:
          'how a server is picked: weighted round robin, power of two choices, hashing, least time',
      }),
    ),
    passHostHeader: Type.Optional(
      Type.Boolean({
        default: true,
        description: "send the client's Host header (false: the server's host)",
      }),
    ),
    sticky: Type.Optional(Sticky),
    responseForwarding: Type.Optional(
      Type.Object(
        { flushInterval: Type.Optional(Duration({ default: 100 })) },
        { additionalProperties: false },
      ),
    ),
    serversTransport: Type.Optional(Type.String()),
    healthCheck: Type.Optional(HealthCheck),
    passiveHealthCheck: Type.Optional(PassiveHealthCheck),
  },
  { additionalProperties: false },
);
export type LoadBalancer = Static<typeof LoadBalancer>;

const WeightedRef = Type.Object(
  { name: Type.String(), weight: Type.Optional(Type.Integer({ minimum: 0, default: 1 })) },
  { additionalProperties: false },
);
const PropagateHealth = Type.Object({}, { additionalProperties: false });

export const Weighted = Type.Object(
  {
    services: Type.Array(WeightedRef, { default: [] }),
    sticky: Type.Optional(Sticky),
    healthCheck: Type.Optional(PropagateHealth),
  },
  { additionalProperties: false },
);

export const HighestRandomWeight = Type.Object(
  { services: Type.Array(WeightedRef, { default: [] }), healthCheck: Type.Optional(PropagateHealth) },
  { additionalProperties: false },
);

export const Mirroring = Type.Object(
  {
    service: Type.String(),
    mirrors: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String(),
            percent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 0 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    mirrorBody: Type.Optional(Type.Boolean({ default: true })),
    maxBodySize: Type.Optional(Type.Integer({ default: -1 })),
    healthCheck: Type.Optional(PropagateHealth),
  },
  { additionalProperties: false },
);

export const Failover = Type.Object(
  {
    service: Type.String(),
    fallback: Type.String(),
    healthCheck: Type.Optional(PropagateHealth),
    errors: Type.Optional(
      Type.Object(
        {
          status: Type.Optional(StringList()),
          maxRequestBodyBytes: Type.Optional(Type.Integer({ default: -1 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * Switchyard extension: forward to where the client was going (its connection's original destination on
 * a transparent entrypoint), as Envoy's ORIGINAL_DST cluster. See docs/transparent.md.
 */
export const OriginalDestination = Type.Object(
  {
    scheme: Type.Optional(Type.Union([Type.Literal('http'), Type.Literal('https')])),
    serversTransport: Type.Optional(Type.String()),
    passHostHeader: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** The service kinds; exactly one is set (checked by the validator, which names both when two are). */
export const SERVICE_KINDS = [
  'loadBalancer',
  'weighted',
  'mirroring',
  'failover',
  'highestRandomWeight',
  'originalDestination',
] as const;

/** `http.services.<name>`. */
export const HttpService = Type.Object(
  {
    loadBalancer: Type.Optional(LoadBalancer),
    weighted: Type.Optional(Weighted),
    mirroring: Type.Optional(Mirroring),
    failover: Type.Optional(Failover),
    highestRandomWeight: Type.Optional(HighestRandomWeight),
    originalDestination: Type.Optional(OriginalDestination),
    middlewares: Type.Optional(StringList()),
  },
  { additionalProperties: false },
);
export type HttpService = Static<typeof HttpService>;
