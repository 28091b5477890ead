import { Type } from '@sinclair/typebox';

const closed = { additionalProperties: false } as const;

/** `api` (reference §1.4): present (even as `--api` or `api: {}`) means the API is on. */
export const ApiSchema = Type.Object(
  {
    insecure: Type.Boolean({
      default: false,
      description: 'serve the API and dashboard on the traefik entrypoint (:8080) without a router',
    }),
    dashboard: Type.Boolean({ default: true, description: 'serve the dashboard under /dashboard/' }),
    debug: Type.Boolean({ default: false }),
    basePath: Type.String({
      default: '/',
      pattern: '^/',
      errorMessage: 'must be an absolute path (start with "/")',
    }),
    dashboardName: Type.Optional(
      Type.String({ description: 'name of this instance in the dashboard header' }),
    ),
    disableDashboardAd: Type.Boolean({ default: false }),
  },
  closed,
);

/** `ping`: present means `/ping` is served. */
export const PingSchema = Type.Object(
  {
    entryPoint: Type.String({ default: 'traefik', minLength: 1, description: 'entrypoint serving /ping' }),
    manualRouting: Type.Boolean({
      default: false,
      description: 'serve /ping only through a router naming the service ping@internal',
    }),
    terminatingStatusCode: Type.Integer({
      default: 503,
      minimum: 100,
      maximum: 599,
      description: 'status /ping answers during a graceful stop',
    }),
  },
  closed,
);
