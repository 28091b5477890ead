import type { LoadBalancer } from '../../config/dynamic/index.js';
import { loadBalancerDeclaration } from '../../config/dynamic/service-kinds.js';
import { SwitchyardError } from '../../core/errors.js';
import { addHeadHook, type HttpContext, type HttpHandler, sendError } from '../../core/http-context.js';
import { forward } from '../../proxy/forward.js';
import {
  createUpstreamTarget,
  type ForwardOptions,
  tlsOptions,
  type UpstreamTarget,
} from '../../proxy/target.js';
import type { BalancerMember } from '../balancers/member.js';
import type { Balancer, BuiltService, ServiceBuildContext, ServiceDefinition } from '../contract.js';
import { GroupHealth } from '../health-signal.js';
import { activeTiming, probeRequest, runActiveCheck } from '../healthcheck/active.js';
import { type PassiveSettings, recordFailure } from '../healthcheck/passive.js';
import { type ServerHealth, serverHealth } from '../healthcheck/server-health.js';
import { StickyCookies } from './sticky.js';

/** One server of a built loadBalancer. */
export interface LoadBalancedServer extends BalancerMember {
  readonly url: string;
  readonly weight: number;
  readonly target: UpstreamTarget;
  /** Shared with later generations (keyed by service and URL): health, in-flight count, TTFB. */
  readonly health: ServerHealth;
}

const PLAIN: ForwardOptions = {};

/**
 * The `loadBalancer` service: a strategy (wrr, p2c, hrw, leasttime) over its servers, optional sticky
 * cookie, active and passive health checks, forwarding through src/proxy. Every server URL is validated
 * here (a bad one disables the service with an error naming it). No pickable server ⇒ 503
 * `no available server`, as Traefik.
 *
 * Health lives in `ServerHealth` states that outlive reloads; the check loops belong to the generation
 * and stop when its signal aborts. The request path reads `health.up` and allocates nothing for it.
 */
export const loadBalancerService: ServiceDefinition<LoadBalancer> = {
  ...loadBalancerDeclaration,
  create(config: LoadBalancer, ctx: ServiceBuildContext): BuiltService {
    const transport = ctx.transport(config.serversTransport);
    const passHostHeader = config.passHostHeader ?? true;
    const servers: LoadBalancedServer[] = config.servers.map((server) => ({
      url: server.url,
      weight: server.weight ?? 1,
      target: createUpstreamTarget(server, transport, { passHostHeader, generation: ctx.generation }),
      health: serverHealth(ctx.name, server.url, ctx.generation),
    }));
    const hc = config.healthCheck;
    if (hc) {
      const timing = activeTiming(hc);
      const tls = tlsOptions(transport.config);
      const probes = servers.map((s) => probeRequest(s.url, hc, tls));
      servers.forEach((s, i) => {
        runActiveCheck(s.health, probes[i]!, timing, ctx.signal, ctx.logger);
      });
    } else {
      // Checks removed by a reload: whatever an earlier check found no longer applies.
      for (const s of servers) if (!s.health.activeUp) s.health.setActive(true);
    }
    const strategy = ctx.balancers.get(config.strategy ?? 'wrr');
    if (!strategy) {
      throw new SwitchyardError('CONFIG_INVALID', `unknown load-balancing strategy "${config.strategy}"`);
    }
    const balancer = strategy.create(servers);
    const passive = config.passiveHealthCheck
      ? {
          failureWindowMs: config.passiveHealthCheck.failureWindow ?? 10_000,
          maxFailedAttempts: config.passiveHealthCheck.maxFailedAttempts ?? 1,
        }
      : undefined;
    const counting = strategy.learning || passive !== undefined;
    const options = counting ? accounting(servers, passive) : PLAIN;
    const cookie = config.sticky?.cookie;
    const sticky = cookie
      ? new StickyCookies(
          cookie,
          ctx.name,
          servers.filter((s) => s.weight > 0),
        )
      : undefined;
    const pick = sticky ? stickyPick(balancer, sticky) : (c: HttpContext) => balancer.pick(c);
    return {
      handler: lbHandler(pick, options, counting),
      serverStatus: () => Object.fromEntries(servers.map((s) => [s.url, s.health.up ? 'UP' : 'DOWN'])),
      health: hc
        ? new GroupHealth(
            servers.map((s) => s.health),
            ctx.signal,
          )
        : undefined,
    };
  },
};

/** Keeps in-flight counts and TTFB averages, and feeds failures to the passive check. */
function accounting(servers: readonly LoadBalancedServer[], passive: PassiveSettings | undefined) {
  const byTarget = new Map<UpstreamTarget, ServerHealth>(servers.map((s) => [s.target, s.health]));
  const options: ForwardOptions = {
    onResult(target, ok, ttfbMs) {
      const h = byTarget.get(target);
      if (h === undefined) return;
      if (h.inflight > 0) h.inflight--;
      if (ok && ttfbMs !== undefined && ttfbMs > 0)
        h.ttfbMs = h.ttfbMs === 0 ? ttfbMs : h.ttfbMs * 0.8 + ttfbMs * 0.2;
      if (!ok && passive !== undefined) recordFailure(h, passive);
    },
  };
  return options;
}

function lbHandler(
  pick: (ctx: HttpContext) => LoadBalancedServer | undefined,
  options: ForwardOptions,
  counting: boolean,
): HttpHandler {
  return (ctx: HttpContext) => {
    const server = pick(ctx);
    if (server === undefined) {
      sendError(ctx, 'NO_SERVER');
      return;
    }
    // Upgrades and requests whose client already left never report a result: do not count them.
    if (counting && ctx.upgrade === undefined && !ctx.rawRes.destroyed) server.health.inflight++;
    forward(ctx, server.target, options);
  };
}

/**
 * A valid cookie naming a healthy server wins; a legacy value is answered with a fresh cookie; an
 * unknown or down server means a normal pick and a new cookie.
 */
function stickyPick(
  balancer: Balancer<LoadBalancedServer>,
  sticky: StickyCookies<LoadBalancedServer>,
): (ctx: HttpContext) => LoadBalancedServer | undefined {
  return (ctx: HttpContext) => {
    const match = sticky.lookup(ctx.req.headers.cookie);
    if (match?.server.health.up) {
      if (match.legacy) addHeadHook(ctx, sticky.hookFor(match.server));
      return match.server;
    }
    const server = balancer.pick(ctx);
    if (server !== undefined) addHeadHook(ctx, sticky.hookFor(server));
    return server;
  };
}
