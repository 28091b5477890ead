import { Type } from '@sinclair/typebox';
import { Secret } from '../schema/kinds.js';
import { ClientTlsSchema } from './schema-client-tls.js';

const closed = { additionalProperties: false } as const;

/** Header values sent to collectors usually carry API keys, so they are secrets. */
const Headers = Type.Record(Type.String(), Secret());

/**
 * The OTLP exporter transports shared by metrics, tracing and logs. Presence of `grpc` or `http` selects the
 * transport; the HTTP endpoint default differs per signal.
 */
export function otlpTransports(httpEndpoint: string) {
  return {
    grpc: Type.Optional(
      Type.Object(
        {
          endpoint: Type.String({ default: 'localhost:4317' }),
          insecure: Type.Boolean({ default: false }),
          headers: Type.Optional(Headers),
          tls: Type.Optional(ClientTlsSchema),
        },
        closed,
      ),
    ),
    http: Type.Optional(
      Type.Object(
        {
          endpoint: Type.String({ default: httpEndpoint }),
          headers: Type.Optional(Headers),
          tls: Type.Optional(ClientTlsSchema),
        },
        closed,
      ),
    ),
  };
}

/** `log.otlp` / `accessLog.otlp`: export log records over OTLP. */
export const OtlpLogsSchema = Type.Object(
  {
    serviceName: Type.String({ default: 'traefik' }),
    resourceAttributes: Type.Optional(Type.Record(Type.String(), Type.String())),
    ...otlpTransports('https://localhost:4318/v1/logs'),
  },
  closed,
);
