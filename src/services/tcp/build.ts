import type { TcpServersTransport, TcpService } from '../../config/dynamic/index.js';
import { type RuntimeService, recordError } from '../../config/runtime/runtime-config.js';
import { formatAddress } from '../../connection/original-dst/stage.js';
import { errorMessage, SwitchyardError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { providerOf, qualifyRef } from '../../graph/resolve-name.js';
import { tlsOptions } from '../../proxy/target.js';
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

export interface TcpServiceBuilderInput {
  configs: Record<string, TcpService>;
  runtime: Record<string, RuntimeService>;
  transports: Record<string, TcpServersTransport>;
  /** The static `tcpServersTransport` (`default@internal`). */
  defaultTransport: TcpServersTransport;
  logger: Logger;
  signal: AbortSignal;
  generation: number;
}

/** What a TCP service says about how to dial: its transport and the deprecated per-service keys. */
interface DialSettings {
  serversTransport?: string | undefined;
  terminationDelay?: number | undefined;
  proxyProtocol?: { version?: number | undefined } | undefined;
}

const ALWAYS_UP: HealthStatus = { up: true, subscribe: () => {} };

/**
 * Builds TCP services on demand (a router asks for one by name), each once per generation: a
 * `loadBalancer` (round robin over its servers, health-checked when asked) or a `weighted` service over
 * other TCP services. A broken service is disabled with its error; routers using it get the error too.
 */
export class TcpServiceBuilder {
  private readonly built = new Map<string, BuiltTcpService>();
  private readonly failed = new Map<string, string>();
  private readonly building = new Set<string>();

  constructor(private readonly input: TcpServiceBuilderInput) {}

  get(name: string): BuiltTcpService {
    const done = this.built.get(name);
    if (done) return done;
    const failure = this.failed.get(name);
    if (failure !== undefined) throw new SwitchyardError('CONFIG_REFERENCE', failure);
    const config = this.input.configs[name];
    const rt = this.input.runtime[name];
    if (!config || !rt || rt.status === 'disabled') {
      throw new SwitchyardError('CONFIG_REFERENCE', `the service "${name}" does not exist or is disabled`);
    }
    if (this.building.has(name)) {
      throw new SwitchyardError(
        'CONFIG_INVALID',
        `service "${name}" refers to itself through weighted services`,
      );
    }
    this.building.add(name);
    try {
      const svc = config.loadBalancer
        ? this.loadBalancer(name, config)
        : config.originalDestination
          ? this.originalDestination(name, config.originalDestination)
          : this.weighted(name, config);
      this.built.set(name, svc);
      return svc;
    } catch (err) {
      const message = errorMessage(err);
      this.failed.set(name, message);
      recordError(rt, message);
      throw err;
    } finally {
      this.building.delete(name);
    }
  }

  builtServices(): IterableIterator<[string, BuiltTcpService]> {
    return this.built.entries();
  }

  private dialOptions(name: string, lb: DialSettings): TcpDialOptions {
    let st = this.input.defaultTransport;
    // Traefik: the deprecated loadBalancer.terminationDelay applies with the default transport only.
    let terminationDelayMs = lb.terminationDelay ?? (st.terminationDelay || 100);
    let proxyProtocol = lb.proxyProtocol;
    if (lb.serversTransport) {
      const ref = qualifyRef(lb.serversTransport, providerOf(name));
      const named = this.input.transports[ref];
      if (!named) throw new SwitchyardError('CONFIG_REFERENCE', `serversTransport "${ref}" does not exist`);
      st = named;
      terminationDelayMs = named.terminationDelay ?? 100;
      proxyProtocol = named.proxyProtocol;
    }
    // Traefik: `proxyProtocol: {}` means version 2; other versions than 1 and 2 break the service.
    const version = proxyProtocol ? (proxyProtocol.version ?? 2) : undefined;
    if (version !== undefined && version !== 1 && version !== 2) {
      throw new SwitchyardError('CONFIG_INVALID', `unknown proxyProtocol version: ${version}`);
    }
    const tls = st.tls ? { ...tlsOptions({ ...st.tls }) } : {};
    delete tls.ALPNProtocols;
    return {
      dialTimeoutMs: st.dialTimeout ?? 30_000,
      keepAliveMs: st.dialKeepAlive ?? 15_000,
      terminationDelayMs,
      tls,
      proxyProtocol: version,
    };
  }

  private loadBalancer(name: string, config: TcpService): BuiltTcpService {
    const lb = config.loadBalancer!;
    const dial = this.dialOptions(name, lb);
    const { logger, signal, generation } = this.input;
    const log = logger.child({ component: 'tcp-service', service: name });
    const servers = lb.servers.map((s) => {
      splitHostPort(s.address);
      return {
        address: s.address,
        tls: s.tls ?? false,
        weight: 1,
        health: serverHealth(name, s.address, generation),
      };
    });
    if (lb.healthCheck) {
      for (const s of servers)
        startTcpHealthCheck(s.health, s.address, s.tls, lb.healthCheck, dial, signal, log);
    } else {
      for (const s of servers) if (!s.health.checked) s.health.setActive(true);
    }
    // Traefik shuffles the servers once per build, so not every proxy starts with the first one.
    const shuffled = [...servers].sort(() => Math.random() - 0.5);
    const wrr = new WrrBalancer(shuffled, (s) => s.health.up);
    const health = servers.length
      ? new GroupHealth(
          servers.map((s) => s.health),
          signal,
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
  }

  /**
   * `originalDestination` (Switchyard extension): each connection goes to where its client was going
   * before iptables sent it to a transparent entrypoint. A connection without one (not redirected, or on
   * an entrypoint that is not transparent) is closed, never forwarded back into Switchyard.
   */
  private originalDestination(name: string, od: NonNullable<TcpService['originalDestination']>) {
    const dial = this.dialOptions(name, od);
    const log = this.input.logger.child({ component: 'tcp-service', service: name });
    const handler: TcpHandler = (conn) => {
      const dst = conn.facts.originalDestination;
      if (!dst) {
        log.debug('connection closed: it has no original destination', { client: conn.facts.clientAddress });
        conn.socket.destroy();
        return;
      }
      forwardTcp(conn, formatAddress(dst), od.tls ?? false, dial, log);
    };
    return { handler, health: ALWAYS_UP, serverStatus: () => ({}) };
  }

  private weighted(name: string, config: TcpService): BuiltTcpService {
    const w = config.weighted;
    if (!w)
      throw new SwitchyardError('CONFIG_INVALID', `the service "${name}" does not have any type defined`);
    const provider = providerOf(name);
    const children = w.services.map((c) => {
      const ref = qualifyRef(c.name, provider);
      return { name: ref, weight: c.weight ?? 1, svc: this.get(ref) };
    });
    const checked = w.healthCheck !== undefined;
    const wrr = new WrrBalancer(children, checked ? (c) => c.svc.health.up : undefined);
    const health = checked
      ? new GroupHealth(
          children.map((c) => c.svc.health),
          this.input.signal,
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
  }
}

const ALWAYS_DOWN: HealthStatus = { up: false, subscribe: () => {} };
