import type { StaticConfig } from '../config/static/index.js';
import { SwitchyardError } from '../core/errors.js';
import type { HttpContext, HttpHandler } from '../core/http-context.js';
import { parseAddress } from '../entrypoints/address.js';
import type { InternalRoute } from '../graph/build-generation.js';
import { createRedirectScheme } from '../middlewares/redirectscheme/redirect-scheme.js';
import { noopHandler } from './services.js';

const redirected = new WeakSet<HttpContext>();

/**
 * True when an entrypoint redirection answered the request. Observability counts these for the
 * entrypoint (`/api/stats`, entrypoint metrics) although their router is an `@internal` one.
 */
export function answeredByRedirection(ctx: HttpContext): boolean {
  return redirected.has(ctx);
}

/**
 * The routers Traefik generates for `entryPoints.<ep>.http.redirections.entryPoint`: every plain-HTTP
 * request on `<ep>` is redirected to the target entrypoint's scheme and port. Throws a SwitchyardError for
 * a target that names no entrypoint.
 */
export function redirectionRoutes(config: StaticConfig): InternalRoute[] {
  const routes: InternalRoute[] = [];
  for (const [name, ep] of Object.entries(config.entryPoints)) {
    const r = ep.http.redirections?.entryPoint;
    if (!r) continue;
    let port: string;
    if (r.to.startsWith(':')) port = r.to.slice(1);
    else {
      const target = config.entryPoints[r.to];
      if (!target) {
        throw new SwitchyardError(
          'CONFIG_REFERENCE',
          `entryPoints.${name}.http.redirections.entryPoint.to: entrypoint "${r.to}" does not exist`,
        );
      }
      port = String(parseAddress(target.address).port);
    }
    const redirect = createRedirectScheme({ scheme: r.scheme, port, permanent: r.permanent })(noopHandler);
    const handler: HttpHandler = (ctx) => {
      redirected.add(ctx);
      redirect(ctx);
    };
    routes.push({
      name: `${name}-to-${r.to.replace(/^:/, '')}@internal`,
      entryPoint: name,
      scheme: 'http',
      rule: 'HostRegexp(`^.+$`)',
      priority: r.priority,
      handler,
    });
  }
  return routes;
}
