import { Type } from '@sinclair/typebox';

const closed = { additionalProperties: false } as const;

/** `api` (reference §1.4): present (even as `--api` or `api: {}`) means the API is on. */
export const ApiSchema = Type.Object(
  {
    insecure: Type.Boolean({ default: false }),
    dashboard: Type.Boolean({ default: true }),
    debug: Type.Boolean({ default: false }),
    basePath: Type.String({
      default: '/',
      pattern: '^/',
      errorMessage: 'must be an absolute path (start with "/")',
    }),
    dashboardName: Type.Optional(Type.String()),
    disableDashboardAd: Type.Boolean({ default: false }),
  },
  closed,
);

/** `ping`: present means `/ping` is served. */
export const PingSchema = Type.Object(
  {
    entryPoint: Type.String({ default: 'traefik', minLength: 1 }),
    manualRouting: Type.Boolean({ default: false }),
    terminatingStatusCode: Type.Integer({ default: 503, minimum: 100, maximum: 599 }),
  },
  closed,
);
