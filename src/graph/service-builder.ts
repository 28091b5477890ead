import { type HttpService, SERVICE_KINDS, type ServersTransport } from '../config/dynamic/index.js';
import { type RuntimeService, recordError } from '../config/runtime/runtime-config.js';
import { errorMessage, SwitchyardError } from '../core/errors.js';
import type { HttpHandler } from '../core/http-context.js';
import type { Logger } from '../core/logger.js';
import type { Lookup } from '../core/registry.js';
import { internalServiceHint } from '../internal/services.js';
import type { BalancerDefinition, BuiltService, ServiceDefinition } from '../services/contract.js';
import { compose, type MiddlewareBuilder } from './middleware-builder.js';
import { providerOf, qualifyRef } from './resolve-name.js';

export interface ServiceBuilderDeps {
  configs: Record<string, HttpService>;
  runtime: Record<string, RuntimeService>;
  transports: Record<string, ServersTransport>;
  defaultTransport: ServersTransport;
  /** Built-in services by qualified name (`noop@internal`). */
  internal: Record<string, HttpHandler>;
  logger: Logger;
  signal: AbortSignal;
  generation: number;
  /** The service kinds and load-balancing strategies. */
  registry: Lookup<ServiceDefinition>;
  balancers: Lookup<BalancerDefinition>;
  middlewares(): MiddlewareBuilder;
}

/** Builds services on demand, once each, with cycle detection; failures disable the service. */
export class ServiceBuilder {
  private readonly built = new Map<string, BuiltService | SwitchyardError>();
  private readonly building = new Set<string>();

  constructor(private readonly deps: ServiceBuilderDeps) {}

  /** The handler of service `qualified`, or throws a SwitchyardError. */
  handler(qualified: string): HttpHandler {
    return this.get(qualified).handler;
  }

  get(qualified: string): BuiltService {
    const done = this.built.get(qualified);
    if (done instanceof SwitchyardError) throw done;
    if (done) return done;
    if (this.building.has(qualified)) {
      throw new SwitchyardError('CONFIG_REFERENCE', `service cycle through "${qualified}"`);
    }
    const builtin = this.deps.internal[qualified];
    if (builtin) {
      const service: BuiltService = { handler: builtin, serverStatus: () => ({}) };
      this.built.set(qualified, service);
      return service;
    }
    const config = this.deps.configs[qualified];
    const element = this.deps.runtime[qualified];
    if (!config || !element || element.status === 'disabled') {
      const why = element?.errors.length
        ? `service "${qualified}" is disabled: ${element.errors.join('; ')}`
        : `service "${qualified}" does not exist${internalServiceHint(qualified)}`;
      throw new SwitchyardError('CONFIG_REFERENCE', why);
    }
    this.building.add(qualified);
    try {
      const service = this.create(qualified, config);
      this.built.set(qualified, service);
      element.serverStatus = service.serverStatus();
      return service;
    } catch (err) {
      const failure =
        err instanceof SwitchyardError
          ? err
          : new SwitchyardError('CONFIG_INVALID', errorMessage(err), { cause: err });
      recordError(element, failure.message);
      this.built.set(qualified, failure);
      throw failure;
    } finally {
      this.building.delete(qualified);
    }
  }

  /** Every built service, for the API's server status. */
  builtServices(): [string, BuiltService][] {
    return [...this.built].filter((e): e is [string, BuiltService] => !(e[1] instanceof SwitchyardError));
  }

  private create(qualified: string, config: HttpService): BuiltService {
    const kinds = SERVICE_KINDS.filter((k) => config[k] !== undefined);
    if (kinds.length !== 1) {
      throw new SwitchyardError(
        'CONFIG_INVALID',
        kinds.length === 0
          ? 'service has no kind (loadBalancer, weighted…)'
          : `service sets ${kinds.join(' and ')}`,
      );
    }
    const kind = kinds[0]!;
    const def = this.deps.registry.get(kind);
    if (!def) throw new SwitchyardError('CONFIG_INVALID', `service kind "${kind}" is not supported yet`);
    const provider = providerOf(qualified);
    const built = def.create(config[kind], {
      name: qualified,
      provider,
      logger: this.deps.logger.child({ service: qualified }),
      signal: this.deps.signal,
      generation: this.deps.generation,
      transport: (name: string | undefined) => this.transport(name, provider),
      service: (name: string) => this.handler(qualifyRef(name, provider)),
      serviceHealth: (name: string) => this.get(qualifyRef(name, provider)).health,
      balancers: this.deps.balancers,
    });
    const mws = (config.middlewares ?? []).map((m) => this.deps.middlewares().get(qualifyRef(m, provider)));
    const inner = built.handler;
    const named: HttpHandler = (ctx) => {
      ctx.serviceName = qualified;
      inner(ctx);
    };
    return { handler: compose(mws, named), serverStatus: built.serverStatus, health: built.health };
  }

  private transport(name: string | undefined, provider: string): { name: string; config: ServersTransport } {
    if (name === undefined || name === '' || name === 'default@internal') {
      return { name: 'default@internal', config: this.deps.defaultTransport };
    }
    const qualified = qualifyRef(name, provider);
    const config = this.deps.transports[qualified];
    if (!config)
      throw new SwitchyardError('CONFIG_REFERENCE', `serversTransport "${qualified}" does not exist`);
    return { name: qualified, config };
  }
}
