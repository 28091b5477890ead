import { type Static, Type } from '@sinclair/typebox';
import { Duration, StringList } from '../schema/kinds.js';

/**
 * TCP and UDP sections (reference §2.5–2.6). They are validated now so Traefik configurations load; the
 * TCP/UDP routers are served by a later part of Switchyard (until then they are reported as not served).
 */
export const TcpRouter = Type.Object(
  {
    rule: Type.String(),
    ruleSyntax: Type.Optional(Type.String()),
    priority: Type.Optional(Type.Integer()),
    entryPoints: Type.Optional(StringList()),
    middlewares: Type.Optional(StringList()),
    service: Type.String(),
    tls: Type.Optional(
      Type.Object(
        {
          passthrough: Type.Optional(Type.Boolean({ default: false })),
          options: Type.Optional(Type.String()),
          certResolver: Type.Optional(Type.String()),
          domains: Type.Optional(
            Type.Array(Type.Object({ main: Type.String(), sans: Type.Optional(StringList()) })),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const TcpServer = Type.Object(
  { address: Type.String(), tls: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);

export const TcpService = Type.Object(
  {
    loadBalancer: Type.Optional(
      Type.Object(
        {
          servers: Type.Array(TcpServer, { default: [] }),
          serversTransport: Type.Optional(Type.String()),
          proxyProtocol: Type.Optional(Type.Object({ version: Type.Optional(Type.Integer()) })),
          terminationDelay: Type.Optional(Type.Integer()),
          healthCheck: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        },
        { additionalProperties: false },
      ),
    ),
    weighted: Type.Optional(
      Type.Object(
        {
          services: Type.Array(Type.Object({ name: Type.String(), weight: Type.Optional(Type.Integer()) })),
          healthCheck: Type.Optional(Type.Object({})),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const UdpRouter = Type.Object(
  { entryPoints: Type.Optional(StringList()), service: Type.String() },
  { additionalProperties: false },
);

export const UdpService = Type.Object(
  {
    loadBalancer: Type.Optional(
      Type.Object(
        { servers: Type.Array(Type.Object({ address: Type.String() }, { additionalProperties: false })) },
        { additionalProperties: false },
      ),
    ),
    weighted: Type.Optional(
      Type.Object(
        { services: Type.Array(Type.Object({ name: Type.String(), weight: Type.Optional(Type.Integer()) })) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const TcpServersTransport = Type.Object(
  {
    dialTimeout: Type.Optional(Duration({ default: 30_000 })),
    dialKeepAlive: Type.Optional(Duration({ default: 15_000 })),
    terminationDelay: Type.Optional(Duration({ default: 100 })),
    proxyProtocol: Type.Optional(Type.Object({ version: Type.Optional(Type.Integer()) })),
    tls: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

export type TcpRouter = Static<typeof TcpRouter>;
export type TcpService = Static<typeof TcpService>;
export type UdpRouter = Static<typeof UdpRouter>;
export type UdpService = Static<typeof UdpService>;
