import { type Static, Type } from '@sinclair/typebox';
import type { Declaration } from '../../core/registry.js';

const flag = (description: string) => Type.Optional(Type.Boolean({ description }));

const dnFields = {
  country: flag('C'),
  province: flag('ST'),
  locality: flag('L'),
  organization: flag('O'),
  commonName: flag('CN'),
  serialNumber: flag('SN (the subject serialNumber attribute)'),
  domainComponent: flag('DC'),
};

/** Which parts of the subject distinguished name go into the info header. */
export const SubjectDnOptions = Type.Object(
  { ...dnFields, organizationalUnit: flag('OU') },
  { additionalProperties: false },
);

/** Which parts of the issuer distinguished name go into the info header (no OU, as in Traefik). */
export const IssuerDnOptions = Type.Object(dnFields, { additionalProperties: false });

/** `passTLSClientCert` options (reference §3.1). */
export const PassTlsClientCertOptions = Type.Object(
  {
    pem: flag('X-Forwarded-Tls-Client-Cert: the client certificates, base64 DER, comma-separated'),
    info: Type.Optional(
      Type.Object(
        {
          notAfter: flag('NA'),
          notBefore: flag('NB'),
          sans: flag('SAN: DNS names, emails, IPs, URIs'),
          serialNumber: flag('SerialNumber (decimal)'),
          subject: Type.Optional(SubjectDnOptions),
          issuer: Type.Optional(IssuerDnOptions),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PassTlsClientCertOptions = Static<typeof PassTlsClientCertOptions>;
export type SubjectDnOptions = Static<typeof SubjectDnOptions>;

/** `passTLSClientCert`: key and schema (what validation needs; the factory is in index.ts). */
export const passTLSClientCertDeclaration = {
  type: 'passTLSClientCert',
  schema: PassTlsClientCertOptions,
} satisfies Declaration;
