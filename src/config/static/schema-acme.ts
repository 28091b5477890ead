import { Type } from '@sinclair/typebox';
import { Duration, OneOfKeys, Secret, StringList } from '../schema/kinds.js';

const closed = { additionalProperties: false } as const;
const delay = () => Duration({ default: 0, minimum: 0 });

const DnsChallenge = Type.Object(
  {
    provider: Type.String({ minLength: 1 }),
    resolvers: Type.Optional(StringList()),
    propagation: Type.Optional(
      Type.Object(
        {
          delayBeforeChecks: delay(),
          disableChecks: Type.Boolean({ default: false }),
          disableANSChecks: Type.Boolean({ default: false }),
          requireAllRNS: Type.Boolean({ default: false }),
        },
        closed,
      ),
    ),
    delayBeforeCheck: Type.Optional(
      Duration({ description: 'deprecated: use propagation.delayBeforeChecks' }),
    ),
    disablePropagationCheck: Type.Optional(
      Type.Boolean({ description: 'deprecated: use propagation.disableChecks' }),
    ),
  },
  closed,
);

const KeyType = Type.Union(
  ['EC256', 'EC384', 'RSA2048', 'RSA4096', 'RSA8192'].map((k) => Type.Literal(k)),
  { default: 'RSA4096' },
);

/** `certificatesResolvers.<name>.acme` (reference §1.7). */
export const AcmeSchema = Type.Object(
  {
    email: Type.Optional(Type.String()),
    emailAddresses: Type.Optional(StringList()),
    caServer: Type.String({ default: 'https://acme-v02.api.letsencrypt.org/directory' }),
    storage: Type.String({ default: 'acme.json', minLength: 1 }),
    keyType: KeyType,
    certificatesDuration: Type.Integer({ default: 2160, minimum: 1, description: 'hours' }),
    preferredChain: Type.Optional(Type.String()),
    profile: Type.Optional(Type.String()),
    caCertificates: Type.Optional(StringList()),
    caSystemCertPool: Type.Boolean({ default: false }),
    caServerName: Type.Optional(Type.String()),
    disableCommonName: Type.Boolean({ default: false }),
    clientTimeout: Duration({ default: 120_000, minimum: 0 }),
    clientResponseHeaderTimeout: Duration({ default: 30_000, minimum: 0 }),
    certificateTimeout: Type.Optional(Duration({ minimum: 0 })),
    eab: Type.Optional(Type.Object({ kid: Type.String(), hmacEncoded: Secret() }, closed)),
    httpChallenge: Type.Optional(
      Type.Object({ entryPoint: Type.String({ minLength: 1 }), delay: delay() }, closed),
    ),
    tlsChallenge: Type.Optional(Type.Object({ delay: delay() }, closed)),
    dnsChallenge: Type.Optional(DnsChallenge),
  },
  closed,
);

/** `certificatesResolvers.<name>`: either `acme` or `tailscale`. */
export const CertificateResolverSchema = OneOfKeys({
  acme: Type.Optional(AcmeSchema),
  tailscale: Type.Optional(Type.Object({}, closed)),
});
