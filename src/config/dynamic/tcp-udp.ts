import { type Static, Type } from '@sinclair/typebox';
import { Duration, StringList } from '../schema/kinds.js';
import { CertPair, PeerCertSans, SpiffeClient } from './servers-transport.js';

/**
 * TCP and UDP sections (reference §2.5–2.6), keys and defaults as Traefik v3. TCP is served by the
 * connection dispatcher (docs/tcp.md); UDP is validated so Traefik configurations load.
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

/** `loadBalancer.healthCheck` of a TCP service: connect, optionally send and expect bytes. */
const TcpHealthCheck = Type.Object(
  {
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65_535 })),
    send: Type.Optional(Type.String({ maxLength: 65_535 })),
    expect: Type.Optional(Type.String({ maxLength: 65_535 })),
    interval: Type.Optional(Duration({ default: 30_000 })),
    unhealthyInterval: Type.Optional(Duration()),
    timeout: Type.Optional(Duration({ default: 5_000 })),
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
          healthCheck: Type.Optional(TcpHealthCheck),
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * Switchyard extension: forward to where the client was going (transparent entrypoints), as the HTTP
     * `originalDestination` service; `tls: true` speaks TLS to the destination. See docs/transparent.md.
     */
    originalDestination: Type.Optional(
      Type.Object(
        {
          serversTransport: Type.Optional(Type.String()),
          tls: Type.Optional(Type.Boolean({ default: false })),
        },
        { additionalProperties: false },
      ),
    ),
    weighted: Type.Optional(
      Type.Object(
        {
          services: Type.Array(
            Type.Object(
              { name: Type.String(), weight: Type.Optional(Type.Integer({ default: 1 })) },
              { additionalProperties: false },
            ),
          ),
          healthCheck: Type.Optional(Type.Object({}, { additionalProperties: false })),
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
        {
          servers: Type.Array(Type.Object({ address: Type.String() }, { additionalProperties: false }), {
            default: [],
          }),
        },
        { additionalProperties: false },
      ),
    ),
    weighted: Type.Optional(
      Type.Object(
        {
          services: Type.Array(
            Type.Object(
              { name: Type.String(), weight: Type.Optional(Type.Integer({ default: 1 })) },
              { additionalProperties: false },
            ),
          ),
        },
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
    tls: Type.Optional(
      Type.Object(
        {
          serverName: Type.Optional(Type.String()),
          insecureSkipVerify: Type.Optional(Type.Boolean({ default: false })),
          rootCAs: Type.Optional(StringList()),
          certificates: Type.Optional(Type.Array(CertPair)),
          peerCertURI: Type.Optional(Type.String()),
          peerCertSANs: Type.Optional(PeerCertSans),
          spiffe: Type.Optional(SpiffeClient),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type TcpServersTransport = Static<typeof TcpServersTransport>;

export type TcpRouter = Static<typeof TcpRouter>;
export type TcpService = Static<typeof TcpService>;
export type UdpRouter = Static<typeof UdpRouter>;
export type UdpService = Static<typeof UdpService>;
