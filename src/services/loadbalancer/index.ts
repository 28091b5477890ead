import type { LoadBalancer } from '../../config/dynamic/index.js';
import { addHeadHook, type HttpContext, type HttpHandler, sendText } from '../../core/http-context.js';
import { forward } from '../../proxy/forward.js';
import { createUpstreamTarget, type ForwardOptions, type UpstreamTarget } from '../../proxy/target.js';
import { WrrBalancer } from '../balancers/wrr.js';
import type { BuiltService, ServiceBuildContext, ServiceDefinition } from '../contract.js';
import { StickyCookies } from './sticky.js';

/** One server of a built loadBalancer. */
export interface LoadBalancedServer {
  readonly url: string;
  readonly weight: number;
  readonly target: UpstreamTarget;
  /** Written by health checks (a later issue); balancers and sticky sessions read it. */
  readonly health: { up: boolean };
}

const NO_SERVER_BODY = 'no available server\n';
const FORWARD_OPTIONS: ForwardOptions = {};
const isUp = (s: LoadBalancedServer): boolean => s.health.up;

/**
 * The `loadBalancer` service: weighted round robin over its servers, optional sticky cookie, forwarding
 * through src/proxy. Every server URL is validated here (a bad one disables the service with an error
 * naming it). No pickable server ⇒ 503 `no available server`, as Traefik.
 *
 * `strategy` other than `wrr` (p2c, hrw, leasttime) falls back to wrr with a warning until they exist;
 * `responseForwarding.flushInterval` has nothing to tune: responses are always written through at once.
 */
export const loadBalancerService: ServiceDefinition<LoadBalancer> = {
  kind: 'loadBalancer',
  create(config: LoadBalancer, ctx: ServiceBuildContext): BuiltService {
    const transport = ctx.transport(config.serversTransport);
    const passHostHeader = config.passHostHeader ?? true;
    const servers: LoadBalancedServer[] = config.servers.map((server) => ({
      url: server.url,
      weight: server.weight ?? 1,
      target: createUpstreamTarget(server, transport, { passHostHeader, generation: ctx.generation }),
      health: { up: true },
    }));
    const strategy = config.strategy ?? 'wrr';
    if (strategy !== 'wrr') {
      ctx.logger.warn('load-balancing strategy not supported yet, using wrr', {
        service: ctx.name,
        strategy,
      });
    }
    if (config.healthCheck || config.passiveHealthCheck) {
      ctx.logger.warn('health checks are not run yet; every server counts as up', { service: ctx.name });
    }
    const balancer = new WrrBalancer(servers, isUp);
    const cookie = config.sticky?.cookie;
    const sticky = cookie
      ? new StickyCookies(
          cookie,
          ctx.name,
          servers.filter((s) => s.weight > 0),
        )
      : undefined;
    return {
      handler: sticky ? stickyHandler(balancer, sticky) : plainHandler(balancer),
      serverStatus: () => Object.fromEntries(servers.map((s) => [s.url, s.health.up ? 'UP' : 'DOWN'])),
    };
  },
};

function plainHandler(balancer: WrrBalancer<LoadBalancedServer>): HttpHandler {
  return (ctx: HttpContext) => {
    const server = balancer.pick(ctx);
    if (server === undefined) {
      sendText(ctx, 503, NO_SERVER_BODY);
      return;
    }
    forward(ctx, server.target, FORWARD_OPTIONS);
  };
}

/**
 * A valid cookie naming a healthy server wins; a legacy value is answered with a fresh cookie; an
 * unknown or down server means a normal pick and a new cookie.
 */
function stickyHandler(
  balancer: WrrBalancer<LoadBalancedServer>,
  sticky: StickyCookies<LoadBalancedServer>,
): HttpHandler {
  return (ctx: HttpContext) => {
    const match = sticky.lookup(ctx.req.headers.cookie);
    let server: LoadBalancedServer | undefined;
    if (match?.server.health.up) {
      server = match.server;
      if (match.legacy) addHeadHook(ctx, sticky.hookFor(server));
    } else {
      server = balancer.pick(ctx);
      if (server === undefined) {
        sendText(ctx, 503, NO_SERVER_BODY);
        return;
      }
      addHeadHook(ctx, sticky.hookFor(server));
    }
    forward(ctx, server.target, FORWARD_OPTIONS);
  };
}
