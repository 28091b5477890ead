import type { Static } from '@sinclair/typebox';
import type { HighestRandomWeight, Weighted } from '../../config/dynamic/http-services.js';
import { highestRandomWeightDeclaration, weightedDeclaration } from '../../config/dynamic/service-kinds.js';
import { addHeadHook, type HttpContext, type HttpHandler, sendError } from '../../core/http-context.js';
import { HrwBalancer } from '../balancers/hrw.js';
import type { MemberState } from '../balancers/member.js';
import { WrrBalancer } from '../balancers/wrr.js';
import type {
  Balancer,
  BuiltService,
  HealthStatus,
  ServiceBuildContext,
  ServiceDefinition,
} from '../contract.js';
import { GroupHealth } from '../health-signal.js';
import { StickyCookies } from '../loadbalancer/sticky.js';

/** A child service as a balancer member; `url` is its name (what the sticky cookie hashes). */
interface Child {
  readonly url: string;
  readonly weight: number;
  readonly handler: HttpHandler;
  readonly health: MemberState;
}

const ALWAYS_UP: MemberState = { up: true, inflight: 0, ttfbMs: 0 };

/**
 * The children of a weighted/highestRandomWeight service. With `healthCheck: {}` the parent follows
 * each child's health (a child that tracks none counts as up) and reports its own: up while one child
 * is. Without it, children are always picked and answer for themselves, as Traefik.
 */
function children(
  refs: readonly { name: string; weight?: number }[],
  follow: boolean,
  ctx: ServiceBuildContext,
): { members: Child[]; health: HealthStatus | undefined } {
  const statuses: HealthStatus[] = [];
  const members = refs.map((ref) => {
    const handler = ctx.service(ref.name);
    const status = follow ? ctx.serviceHealth(ref.name) : undefined;
    if (status) statuses.push(status);
    const health: MemberState = status
      ? {
          get up() {
            return status.up;
          },
          inflight: 0,
          ttfbMs: 0,
        }
      : ALWAYS_UP;
    return { url: ref.name, weight: ref.weight ?? 1, handler, health };
  });
  if (!follow) return { members, health: undefined };
  const untracked = members.length - statuses.length;
  const all = untracked > 0 ? [...statuses, { up: true, subscribe() {} }] : statuses;
  return { members, health: new GroupHealth(all, ctx.signal) };
}

function balanced(balancer: Balancer<Child>, sticky: StickyCookies<Child> | undefined): HttpHandler {
  return (ctx: HttpContext) => {
    let child: Child | undefined;
    const match = sticky?.lookup(ctx.req.headers.cookie);
    if (match?.server.health.up) {
      child = match.server;
      if (match.legacy) addHeadHook(ctx, sticky!.hookFor(child));
    } else {
      child = balancer.pick(ctx);
      if (child === undefined) {
        sendError(ctx, 'NO_SERVER');
        return;
      }
      if (sticky) addHeadHook(ctx, sticky.hookFor(child));
    }
    child.handler(ctx);
  };
}

/** `weighted`: smooth weighted round robin over services, nestable, with its own sticky cookie. */
export const weightedService: ServiceDefinition<Static<typeof Weighted>> = {
  ...weightedDeclaration,
  create(config, ctx): BuiltService {
    const { members, health } = children(config.services, config.healthCheck !== undefined, ctx);
    const cookie = config.sticky?.cookie;
    const pickable = members.filter((m) => m.weight > 0);
    const sticky = cookie ? new StickyCookies(cookie, ctx.name, pickable) : undefined;
    const balancer = new WrrBalancer(members, (m) => m.health.up);
    return { handler: balanced(balancer, sticky), serverStatus: () => ({}), health };
  },
};

/** `highestRandomWeight`: rendezvous hashing of the client IP over services. */
export const highestRandomWeightService: ServiceDefinition<Static<typeof HighestRandomWeight>> = {
  ...highestRandomWeightDeclaration,
  create(config, ctx): BuiltService {
    const { members, health } = children(config.services, config.healthCheck !== undefined, ctx);
    return { handler: balanced(new HrwBalancer(members), undefined), serverStatus: () => ({}), health };
  },
};
