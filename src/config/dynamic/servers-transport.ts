import { type Static, Type } from '@sinclair/typebox';
import { Duration, StringList } from '../schema/kinds.js';

/** A client certificate of a transport. */
export const CertPair = Type.Object(
  { certFile: Type.String(), keyFile: Type.String() },
  { additionalProperties: false },
);

/** `peerCertSANs`: SANs the server certificate must carry. */
export const PeerCertSans = Type.Array(
  Type.Object(
    { type: Type.Union([Type.Literal('URI'), Type.Literal('DNSName')]), value: Type.String() },
    { additionalProperties: false },
  ),
);

/** `spiffe`: the SPIFFE identities a server may have. */
export const SpiffeClient = Type.Object(
  { ids: Type.Optional(StringList()), trustDomain: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

/** `http.serversTransports.<name>` (reference §2.4). */
export const ServersTransport = Type.Object(
  {
    serverName: Type.Optional(Type.String()),
    insecureSkipVerify: Type.Optional(Type.Boolean({ default: false })),
    rootCAs: Type.Optional(StringList()),
    certificates: Type.Optional(Type.Array(CertPair)),
    cipherSuites: Type.Optional(StringList()),
    minVersion: Type.Optional(Type.String()),
    maxVersion: Type.Optional(Type.String()),
    maxIdleConnsPerHost: Type.Optional(Type.Integer()),
    disableHTTP2: Type.Optional(Type.Boolean({ default: false })),
    peerCertURI: Type.Optional(Type.String()),
    peerCertSANs: Type.Optional(PeerCertSans),
    spiffe: Type.Optional(SpiffeClient),
    forwardingTimeouts: Type.Optional(
      Type.Object(
        {
          dialTimeout: Type.Optional(Duration({ default: 30_000 })),
          responseHeaderTimeout: Type.Optional(Duration({ default: 0 })),
          idleConnTimeout: Type.Optional(Duration({ default: 90_000 })),
          readIdleTimeout: Type.Optional(Duration({ default: 0 })),
          pingTimeout: Type.Optional(Duration({ default: 15_000 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ServersTransport = Static<typeof ServersTransport>;
