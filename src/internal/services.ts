import { type HttpHandler, sendError } from '../core/http-context.js';

/** What `internalServices` needs of the static configuration. */
export interface InternalServicesConfig {
  api?: { dashboard: boolean } | undefined;
  ping?: unknown;
  metrics?: { prometheus?: unknown } | undefined;
  providers: { rest?: unknown };
  certificatesResolvers?: Record<string, { acme?: { httpChallenge?: unknown } }>;
}

/** `noop@internal`: answers 200 with no body (the target of redirect-only routers, as in Traefik). */
export const noopHandler: HttpHandler = (ctx) => {
  const res = ctx.res;
  res.writeHead(200, { 'content-length': 0 });
  res.end();
};

/** What an internal service answers when no handler was given (no ACME challenge pending, `check`). */
const notFound: HttpHandler = (ctx) => sendError(ctx, 'NOT_FOUND');

/**
 * Every built-in service Traefik knows, and the static option that makes it exist (as in Traefik, naming
 * one whose option is off is an error: "service … does not exist").
 */
const INTERNAL_SERVICES: readonly {
  name: string;
  enabledBy: string;
  on(c: InternalServicesConfig): boolean;
}[] = [
  { name: 'noop@internal', enabledBy: '', on: () => true },
  { name: 'api@internal', enabledBy: '"api"', on: (c) => c.api !== undefined },
  {
    name: 'dashboard@internal',
    enabledBy: '"api" (with "api.dashboard" true, the default)',
    on: (c) => c.api?.dashboard === true,
  },
  { name: 'ping@internal', enabledBy: '"ping"', on: (c) => c.ping !== undefined },
  { name: 'prometheus@internal', enabledBy: '"metrics.prometheus"', on: (c) => !!c.metrics?.prometheus },
  { name: 'rest@internal', enabledBy: '"providers.rest"', on: (c) => c.providers.rest !== undefined },
  {
    name: 'acme-http@internal',
    enabledBy: '"certificatesResolvers.<name>.acme.httpChallenge"',
    on: (c) => Object.values(c.certificatesResolvers ?? {}).some((r) => r.acme?.httpChallenge !== undefined),
  },
];

/**
 * The built-in services routers can name with this static configuration, each with its handler from
 * `handlers` (by name; `noop@internal` is built in). One list for the runtime and for `switchyard check`,
 * which passes no handlers: the same names exist in both.
 */
export function internalServices(
  config: InternalServicesConfig,
  handlers: Readonly<Record<string, HttpHandler | undefined>> = {},
): Record<string, HttpHandler> {
  const out: Record<string, HttpHandler> = {};
  for (const service of INTERNAL_SERVICES) {
    if (!service.on(config)) continue;
    out[service.name] = handlers[service.name] ?? (service.name === 'noop@internal' ? noopHandler : notFound);
  }
  return out;
}

/** For an unknown `x@internal` service: which static option would create it, e.g. ` (set "api" …)`. */
export function internalServiceHint(name: string): string {
  const service = INTERNAL_SERVICES.find((s) => s.name === name);
  if (!service?.enabledBy) return '';
  return ` (it exists when ${service.enabledBy} is set in the static configuration)`;
}
