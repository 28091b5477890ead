import type { ExtensionSchemas } from './config/dynamic/builtin-schemas.js';
import { BUILTIN_SCHEMAS } from './config/dynamic/builtin-schemas.js';
import type { Declaration, Lookup, Registry } from './core/registry.js';
import type { MiddlewareDefinition } from './middlewares/contract.js';
import { builtinMiddlewares } from './middlewares/registry.js';
import { builtinTcpMiddlewares, type TcpMiddlewareDefinition } from './middlewares/tcp/index.js';
import type { ProviderDefinition } from './providers/contract.js';
import { builtinProviders } from './providers/registry.js';
import type { BalancerDefinition, ServiceDefinition } from './services/contract.js';
import { builtinBalancers, builtinServices } from './services/registry.js';
import { builtinUdpServices, type UdpServiceDefinition } from './services/udp/kinds.js';

/**
 * Every registry of one running instance (docs/design/extensions.md), built once at startup from the
 * built-ins and then the plugins, and passed to the watcher (validation, qualification), the graph
 * builder, the API and the provider factory. It satisfies `ExtensionSchemas`, what validation needs.
 */
export interface Extensions extends ExtensionSchemas {
  readonly middlewares: Registry<MiddlewareDefinition>;
  readonly tcpMiddlewares: Registry<TcpMiddlewareDefinition>;
  readonly services: Registry<ServiceDefinition>;
  /** TCP service kinds: declarations; their factories are still the TCP service builder's methods. */
  readonly tcpServices: Lookup<Declaration>;
  readonly udpServices: Registry<UdpServiceDefinition>;
  readonly balancers: Registry<BalancerDefinition>;
  readonly providers: Registry<ProviderDefinition>;
}

/** Fresh registries of the built-in definitions; plugins register into them (src/plugins/load.ts). */
export function builtinExtensions(): Extensions {
  return {
    middlewares: builtinMiddlewares(),
    tcpMiddlewares: builtinTcpMiddlewares(),
    services: builtinServices(),
    tcpServices: BUILTIN_SCHEMAS.tcpServices,
    udpServices: builtinUdpServices(),
    balancers: builtinBalancers(),
    providers: builtinProviders(),
  };
}
