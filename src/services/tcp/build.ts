import type { TcpServersTransport, TcpService } from '../../config/dynamic/index.js';
import { type RuntimeService, recordError } from '../../config/runtime/runtime-config.js';
import { errorMessage, SwitchyardError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Lookup } from '../../core/registry.js';
import { providerOf, qualifyRef } from '../../graph/resolve-name.js';
import { tlsOptions } from '../../proxy/target.js';
import type { TcpDialOptions } from '../../proxy/tcp/dial.js';
import type { BuiltTcpService, TcpDialSettings, TcpServiceDefinition } from './kinds.js';

export type { BuiltTcpService } from './kinds.js';

export interface TcpServiceBuilderInput {
  configs: Record<string, TcpService>;
  runtime: Record<string, RuntimeService>;
  transports: Record<string, TcpServersTransport>;
  /** The static `tcpServersTransport` (`default@internal`). */
  defaultTransport: TcpServersTransport;
  /** The TCP service kinds, looked up by the key the configuration sets. */
  kinds: Lookup<TcpServiceDefinition>;
  logger: Logger;
  signal: AbortSignal;
  generation: number;
}

/**
 * Builds TCP services on demand (a router asks for one by name), each once per generation, with the
 * factory of its kind from the registry it is given (`kinds.ts` holds the built-ins). A broken service is
 * disabled with its error; routers using it get the error too.
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
      const svc = this.build(name, config);
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

  /** The service's kind is the one key it sets (the validator rejects two); its definition builds it. */
  private build(name: string, config: TcpService): BuiltTcpService {
    const kinds = config as Record<string, unknown>;
    const kind = Object.keys(kinds).find((k) => kinds[k] !== undefined);
    const def = kind === undefined ? undefined : this.input.kinds.get(kind);
    if (!def || kind === undefined) {
      throw new SwitchyardError('CONFIG_INVALID', `the service "${name}" does not have any type defined`);
    }
    const provider = providerOf(name);
    const { logger, signal, generation } = this.input;
    return def.create(kinds[kind] as never, {
      name,
      logger: logger.child({ component: 'tcp-service', service: name }),
      signal,
      generation,
      dial: (settings) => this.dialOptions(name, settings),
      service: (child) => this.get(qualifyRef(child, provider)),
    });
  }

  private dialOptions(name: string, lb: TcpDialSettings): TcpDialOptions {
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
}
