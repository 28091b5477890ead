import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../schema/kinds.js';

/** A certificate: each of certFile/keyFile is a path or inline PEM. */
export const TlsCertificate = Type.Object(
  { certFile: Type.String(), keyFile: Type.String(), stores: Type.Optional(StringList()) },
  { additionalProperties: false },
);
export type TlsCertificate = Static<typeof TlsCertificate>;

export const TlsOptions = Type.Object(
  {
    minVersion: Type.Optional(Type.String()),
    maxVersion: Type.Optional(Type.String()),
    cipherSuites: Type.Optional(StringList()),
    curvePreferences: Type.Optional(StringList()),
    clientAuth: Type.Optional(
      Type.Object(
        { caFiles: Type.Optional(StringList()), clientAuthType: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    sniStrict: Type.Optional(Type.Boolean({ default: false })),
    alpnProtocols: Type.Optional(StringList()),
    disableSessionTickets: Type.Optional(Type.Boolean({ default: false })),
    preferServerCipherSuites: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TlsOptions = Static<typeof TlsOptions>;

export const TlsStore = Type.Object(
  {
    defaultCertificate: Type.Optional(
      Type.Object({ certFile: Type.String(), keyFile: Type.String() }, { additionalProperties: false }),
    ),
    defaultGeneratedCert: Type.Optional(
      Type.Object(
        {
          resolver: Type.Optional(Type.String()),
          domain: Type.Optional(
            Type.Object(
              { main: Type.Optional(Type.String()), sans: Type.Optional(StringList()) },
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
export type TlsStore = Static<typeof TlsStore>;
