import { Type } from '@sinclair/typebox';
import { Duration, OneOfKeys, Secret, StringList } from '../schema/kinds.js';
import { ClientTlsSchema } from './schema-client-tls.js';

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

const credentials = { username: Type.Optional(Type.String()), password: Type.Optional(Secret()) };

/**
 * Switchyard extension (not in Traefik): the resolver's account, certificates, pending challenges and
 * order locks in etcd or Redis, shared by every instance pointing at the same store and `rootKey`.
 * Connection settings as `providers.etcd` / `providers.redis`.
 */
export const AcmeSharedStorageSchema = Type.Object(
  {
    rootKey: Type.String({ default: 'switchyard/acme', minLength: 1 }),
    etcd: Type.Optional(
      Type.Object(
        {
          endpoints: StringList({ default: ['127.0.0.1:2379'] }),
          ...credentials,
          tls: Type.Optional(ClientTlsSchema),
        },
        closed,
      ),
    ),
    redis: Type.Optional(
      Type.Object(
        {
          endpoints: StringList({ default: ['127.0.0.1:6379'] }),
          ...credentials,
          db: Type.Integer({ default: 0, minimum: 0 }),
          tls: Type.Optional(ClientTlsSchema),
        },
        closed,
      ),
    ),
  },
  closed,
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
    sharedStorage: Type.Optional(AcmeSharedStorageSchema),
  },
  closed,
);

/** `certificatesResolvers.<name>`: either `acme` or `tailscale`. */
export const CertificateResolverSchema = OneOfKeys({
  acme: Type.Optional(AcmeSchema),
  tailscale: Type.Optional(Type.Object({}, closed)),
});
