import { Type } from '@sinclair/typebox';
import { Secret, StringList } from '../schema/kinds.js';

/**
 * TLS settings of a client connection Switchyard opens (providers, OTLP exporters). `ca`, `cert` and `key`
 * are file paths or PEM contents; the key is a secret.
 */
export const ClientTlsSchema = Type.Object(
  {
    ca: Type.Optional(Type.String()),
    caOptional: Type.Optional(Type.Boolean({ description: 'deprecated in Traefik' })),
    cert: Type.Optional(Type.String()),
    key: Type.Optional(Secret()),
    insecureSkipVerify: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);

/** Which SPIFFE identities an upstream may present. */
export const SpiffeSchema = Type.Object(
  { ids: Type.Optional(StringList()), trustDomain: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
