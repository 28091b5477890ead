import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../schema/kinds.js';

const Domain = Type.Object(
  { main: Type.Optional(Type.String()), sans: Type.Optional(StringList()) },
  { additionalProperties: false },
);

/** `tls` on a router: its presence alone (`tls: {}`) makes the router HTTPS-only. */
export const RouterTLS = Type.Object(
  {
    options: Type.Optional(
      Type.String({ description: 'TLS options (tls.options.<name>); default: "default"' }),
    ),
    certResolver: Type.Optional(
      Type.String({ description: 'certificate resolver ordering its certificate' }),
    ),
    domains: Type.Optional(Type.Array(Domain)),
  },
  { additionalProperties: false, description: 'present: the router serves HTTPS only' },
);

export const RouterObservability = Type.Object(
  {
    accessLogs: Type.Optional(Type.Boolean()),
    metrics: Type.Optional(Type.Boolean()),
    tracing: Type.Optional(Type.Boolean()),
    traceVerbosity: Type.Optional(Type.Union([Type.Literal('minimal'), Type.Literal('detailed')])),
  },
  { additionalProperties: false },
);

/** `http.routers.<name>` (reference §2.1). */
export const HttpRouter = Type.Object(
  {
    rule: Type.String({ description: 'matcher expression, e.g. Host(`a.com`) && PathPrefix(`/api`)' }),
    ruleSyntax: Type.Optional(Type.Union([Type.Literal('v2'), Type.Literal('v3')])),
    priority: Type.Optional(Type.Integer({ description: '0 means the length of the rule' })),
    entryPoints: Type.Optional(
      StringList({ description: 'where the router listens; default: the default entrypoints' }),
    ),
    middlewares: Type.Optional(StringList({ description: 'applied in order before the service' })),
    service: Type.String({ description: 'the service requests go to (name, or name@provider)' }),
    tls: Type.Optional(RouterTLS),
    observability: Type.Optional(RouterObservability),
  },
  { additionalProperties: false },
);
export type HttpRouter = Static<typeof HttpRouter>;
