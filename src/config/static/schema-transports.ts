import { Type } from '@sinclair/typebox';
import { Duration, StringList } from '../schema/kinds.js';
import { SpiffeSchema } from './schema-client-tls.js';

const closed = { additionalProperties: false } as const;
const section = { default: {}, additionalProperties: false } as const;

/** `serversTransport`: defaults of the `default@internal` HTTP transport to upstreams. */
export const ServersTransportSchema = Type.Object(
  {
    insecureSkipVerify: Type.Boolean({ default: false }),
    rootCAs: StringList({ default: [] }),
    maxIdleConnsPerHost: Type.Integer({ default: 200, description: 'negative disables connection reuse' }),
    forwardingTimeouts: Type.Object(
      {
        dialTimeout: Duration({ default: 30_000, minimum: 0 }),
        responseHeaderTimeout: Duration({ default: 0, minimum: 0 }),
        idleConnTimeout: Duration({ default: 90_000, minimum: 0 }),
      },
      section,
    ),
    spiffe: Type.Optional(SpiffeSchema),
  },
  section,
);

/** `tcpServersTransport`: defaults of the TCP transport to upstreams. */
export const TcpServersTransportSchema = Type.Object(
  {
    dialTimeout: Duration({ default: 30_000, minimum: 0 }),
    dialKeepAlive: Duration({ default: 15_000, description: 'negative disables keep-alive probes' }),
    terminationDelay: Duration({ default: 0, description: 'negative waits forever' }),
    tls: Type.Optional(
      Type.Object(
        {
          insecureSkipVerify: Type.Boolean({ default: false }),
          rootCAs: Type.Optional(StringList()),
          spiffe: Type.Optional(SpiffeSchema),
        },
        closed,
      ),
    ),
  },
  section,
);
