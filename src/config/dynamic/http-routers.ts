import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../schema/kinds.js';

const Domain = Type.Object(
  { main: Type.Optional(Type.String()), sans: Type.Optional(StringList()) },
  { additionalProperties: false },
);

/** `tls` on a router: its presence alone (`tls: {}`) makes the router HTTPS-only. */
export const RouterTLS = Type.Object(
  {
    options: Type.Optional(Type.String()),
    certResolver: Type.Optional(Type.String()),
    domains: Type.Optional(Type.Array(Domain)),
  },
  { additionalProperties: false },
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
    entryPoints: Type.Optional(StringList()),
    middlewares: Type.Optional(StringList()),
    service: Type.String(),
    tls: Type.Optional(RouterTLS),
    observability: Type.Optional(RouterObservability),
  },
  { additionalProperties: false },
);
export type HttpRouter = Static<typeof HttpRouter>;
