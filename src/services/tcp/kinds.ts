import type { TcpService } from '../../config/dynamic/index.js';
import { TCP_SERVICE_DECLARATIONS } from '../../config/dynamic/service-kinds.js';
import { formatAddress } from '../../connection/original-dst/stage.js';
import type { Logger } from '../../core/logger.js';
import { type Declaration, Registry } from '../../core/registry.js';
import type { TcpHandler } from '../../proxy/tcp/connection.js';
import { splitHostPort, type TcpDialOptions } from '../../proxy/tcp/dial.js';
import { forwardTcp } from '../../proxy/tcp/forward.js';
import { WrrBalancer } from '../balancers/wrr.js';
import type { HealthStatus } from '../contract.js';
import { GroupHealth } from '../health-signal.js';
import { serverHealth } from '../healthcheck/server-health.js';
import { startTcpHealthCheck } from './health-check.js';

/** A built TCP service: its handler and, for balancers, whether any server is up. */
export interface BuiltTcpService {
  handler: TcpHandler;
  health: HealthStatus;
  serverStatus(): Record<string, 'UP' | 'DOWN'>;
}

/** What a TCP service kind says about how to dial: its transport and the deprecated per-service keys. */
export interface TcpDialSettings {
  serversTransport?: string | undefined;
  terminationDelay?: number | undefined;
  proxyProtocol?: { version?: number | undefined } | undefined;
}

/** What a TCP service kind's `create` may use. */
export interface TcpServiceBuildContext {
  /** Qualified service name. */
  readonly name: string;
  /** The service's logger (`component: tcp-service`, `service: <name>`). */
  readonly logger: Logger;
  /** Aborted when the generation is replaced: health checks stop. */
  readonly signal: AbortSignal;
  readonly generation: number;
  /** The dial options of these settings (the named or default `tcpServersTransport`); throws when invalid. */
  dial(settings: TcpDialSettings): TcpDialOptions;
  /** Another TCP service by name (unqualified names resolve in this service's provider). */
  service(name: string): BuiltTcpService;
}

/** One TCP service kind: its declaration (service-kinds.ts) and the factory of its handler. */
export interface TcpServiceDefinition extends Declaration {
  create(config: never, ctx: TcpServiceBuildContext): BuiltTcpService;
}

const ALWAYS_UP: HealthStatus = { up: true, subscribe: () => {} };
const ALWAYS_DOWN: HealthStatus = { up: false, subscribe: () => {} };

const declaration = (type: string) => TCP_SERVICE_DECLARATIONS.find((d) => d.type === type)!;

/**
 * The TCP service kinds: `loadBalancer` (round robin over its servers, health-checked when asked),
 * `weighted` (over other TCP services) and `originalDestination`.
 */
export const TCP_SERVICE_DEFINITIONS: readonly TcpServiceDefinition[] = [
  {
    ...declaration('loadBalancer'),
    create(lb: NonNullable<TcpService['loadBalancer']>, ctx) {
      const dial = ctx.dial(lb);
      const log = ctx.logger;
      const servers = lb.servers.map((s) => {
        splitHostPort(s.address);
        return {
          address: s.address,
          tls: s.tls ?? false,
          weight: 1,
          health: serverHealth(ctx.name, s.address, ctx.generation),
        };
      });
      if (lb.healthCheck) {
        for (const s of servers)
          startTcpHealthCheck(s.health, s.address, s.tls, lb.healthCheck, dial, ctx.signal, log);
      } else {
        for (const s of servers) if (!s.health.checked) s.health.setActive(true);
      }
      // Traefik shuffles the servers once per build, so not every proxy starts with the first one.
      const shuffled = [...servers].sort(() => Math.random() - 0.5);
      const wrr = new WrrBalancer(shuffled, (s) => s.health.up);
      const health = servers.length
        ? new GroupHealth(
            servers.map((s) => s.health),
            ctx.signal,
          )
        : ALWAYS_DOWN;
      const handler: TcpHandler = (conn) => {
        const server = wrr.pick();
        if (!server) {
          log.debug('no available server', { client: conn.facts.clientAddress });
          conn.socket.destroy();
          return;
        }
        forwardTcp(conn, server.address, server.tls, dial, log);
      };
      return {
        handler,
        health,
        serverStatus: () =>
          Object.fromEntries(servers.map((s) => [s.address, s.health.up ? 'UP' : 'DOWN'] as const)),
      };
    },
  },
  {
    ...declaration('weighted'),
    create(w: NonNullable<TcpService['weighted']>, ctx) {
      const children = w.services.map((c) => ({ weight: c.weight ?? 1, svc: ctx.service(c.name) }));
      const checked = w.healthCheck !== undefined;
      const wrr = new WrrBalancer(children, checked ? (c) => c.svc.health.up : undefined);
      const health = checked
        ? new GroupHealth(
            children.map((c) => c.svc.health),
            ctx.signal,
          )
        : ALWAYS_UP;
      return {
        handler: (conn) => {
          const child = wrr.pick();
          if (!child) conn.socket.destroy();
          else child.svc.handler(conn);
        },
        health,
        serverStatus: () => ({}),
      };
    },
  },
  {
    /**
     * `originalDestination` (Switchyard extension): each connection goes to where its client was going
     * before iptables sent it to a transparent entrypoint. A connection without one (not redirected, or
     * on an entrypoint that is not transparent) is closed, never forwarded back into Switchyard.
     */
    ...declaration('originalDestination'),
    create(od: NonNullable<TcpService['originalDestination']>, ctx) {
      const dial = ctx.dial(od);
      const log = ctx.logger;
      const handler: TcpHandler = (conn) => {
        const dst = conn.facts.originalDestination;
        if (!dst) {
          log.debug('connection closed: it has no original destination', {
            client: conn.facts.clientAddress,
          });
          conn.socket.destroy();
          return;
        }
        forwardTcp(conn, formatAddress(dst), od.tls ?? false, dial, log);
      };
      return { handler, health: ALWAYS_UP, serverStatus: () => ({}) };
    },
  },
];

/** A fresh registry of the TCP service kinds. */
export function builtinTcpServices(): Registry<TcpServiceDefinition> {
  return Registry.of('TCP service kind', TCP_SERVICE_DEFINITIONS);
}
