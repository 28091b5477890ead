import type { ServersTransport } from '../config/dynamic/index.js';
import type { HttpContext, HttpHandler } from '../core/http-context.js';
import type { Logger } from '../core/logger.js';
import type { Declaration, Lookup } from '../core/registry.js';
import type { BalancerMember } from './balancers/member.js';

/** What a service kind's `create` may use. */
export interface ServiceBuildContext {
  /** Qualified service name, e.g. `api@file`. */
  readonly name: string;
  readonly provider: string;
  readonly logger: Logger;
  /** Aborted when a newer configuration generation replaced this one. */
  readonly signal: AbortSignal;
  /** Generation number, for `GenerationStore.use`. */
  readonly generation: number;
  /**
   * The serversTransport named by the service (`undefined` = `default@internal`, built from the static
   * `serversTransport` section), normalized. Throws a SwitchyardError for an unknown name.
   */
  transport(name: string | undefined): { name: string; config: ServersTransport };
  /** Another service's handler by name (weighted, mirroring, failover). Throws on unknown names/cycles. */
  service(name: string): HttpHandler;
  /** Another service's health, when it tracks one (health checks or `healthCheck: {}`). */
  serviceHealth(name: string): HealthStatus | undefined;
  /** The load-balancing strategies (`wrr`, `p2c`…), by `loadBalancer.strategy`. */
  readonly balancers: Lookup<BalancerDefinition>;
}

/** A health status that can be watched (servers, services). */
export interface HealthStatus {
  readonly up: boolean;
  /** Calls `fn` on every transition until `signal` aborts. */
  subscribe(fn: (up: boolean) => void, signal: AbortSignal): void;
}

/**
 * One service kind (`loadBalancer`, `weighted`…): its declaration (src/config/dynamic/service-kinds.ts)
 * and the factory. Listed in src/services/registry.ts.
 */
export interface ServiceDefinition<C = unknown> extends Declaration {
  create(config: C, ctx: ServiceBuildContext): BuiltService;
}

/**
 * One load-balancing strategy (`loadBalancer.strategy`): key, schema (strategies take no options of their
 * own), and a factory over the servers.
 */
export interface BalancerDefinition extends Declaration {
  /** The strategy reads requests in flight / time to first byte (the handler then keeps count). */
  readonly learning: boolean;
  create<S extends BalancerMember>(servers: readonly S[]): Balancer<S>;
}

/** A built service: its handler plus what the API shows about its servers. */
export interface BuiltService {
  handler: HttpHandler;
  /** Server URL → `UP` | `DOWN`, as Traefik's `serverStatus`. */
  serverStatus(): Record<string, 'UP' | 'DOWN'>;
  /**
   * Set when the service tracks health (a loadBalancer with a health check, a weighted/failover/…
   * service with `healthCheck: {}`), so parents can skip it while it is down.
   */
  health?: HealthStatus;
}

/** Picks a server for a request; `undefined` when none is available (→ 503 `no available server`). */
export interface Balancer<S> {
  pick(ctx: HttpContext): S | undefined;
  /** Told how a request on `server` went, for strategies that learn (leasttime, passive health). */
  onResult?(server: S, outcome: { ok: boolean; ttfbMs?: number }): void;
}
