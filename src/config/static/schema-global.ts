import { Type } from '@sinclair/typebox';

const closed = { additionalProperties: false } as const;
const section = { default: {}, additionalProperties: false } as const;

/** `global`. */
export const GlobalSchema = Type.Object(
  {
    checkNewVersion: Type.Boolean({ default: true }),
    sendAnonymousUsage: Type.Boolean({ default: false }),
    notAppendXForwardedFor: Type.Boolean({ default: false }),
  },
  section,
);

/** `core`. */
export const CoreSchema = Type.Object(
  { defaultRuleSyntax: Type.Union([Type.Literal('v3'), Type.Literal('v2')], { default: 'v3' }) },
  section,
);

/** `hostResolver`: present turns on CNAME flattening options. */
export const HostResolverSchema = Type.Object(
  {
    cnameFlattening: Type.Boolean({ default: false }),
    resolvConfig: Type.String({ default: '/etc/resolv.conf' }),
    resolvDepth: Type.Integer({ default: 5, minimum: 0 }),
  },
  closed,
);

/** `spiffe`: where the SPIFFE workload API listens. */
export const SpiffeClientSchema = Type.Object({ workloadAPIAddr: Type.Optional(Type.String()) }, closed);

/** `ocsp`: OCSP stapling; responder URL overrides by certificate responder. */
export const OcspSchema = Type.Object(
  { responderOverrides: Type.Optional(Type.Record(Type.String(), Type.String())) },
  closed,
);

const Plugin = Type.Object(
  {
    moduleName: Type.String({ minLength: 1 }),
    version: Type.Optional(Type.String()),
    hash: Type.Optional(Type.String()),
    settings: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: true },
);

/**
 * `experimental.localPlugins.<name>`: a folder under `plugins-local/src` (`moduleName`, as Traefik) or,
 * a Switchyard extension, an npm package (`package`); the plugin loader requires exactly one.
 */
const LocalPlugin = Type.Object(
  {
    moduleName: Type.Optional(Type.String({ minLength: 1 })),
    package: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "Switchyard: an npm package (runtime node) installed in a node_modules folder of the configuration file's directory or above, instead of moduleName",
      }),
    ),
    settings: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: true },
);

/** `experimental`: open, since Traefik adds and retires flags here often. */
export const ExperimentalSchema = Type.Object(
  {
    plugins: Type.Optional(Type.Record(Type.String(), Plugin)),
    localPlugins: Type.Optional(Type.Record(Type.String(), LocalPlugin)),
    fastProxy: Type.Optional(Type.Object({ debug: Type.Boolean({ default: false }) }, closed)),
    otlpLogs: Type.Boolean({ default: false }),
    abortOnPluginFailure: Type.Boolean({ default: false }),
    knative: Type.Boolean({ default: false }),
    kubernetesIngressNGINX: Type.Boolean({ default: false }),
  },
  { additionalProperties: true },
);
