import type { ExtensionSchemas } from './config/dynamic/builtin-schemas.js';
import type { Registry } from './core/registry.js';
import type { MiddlewareDefinition } from './middlewares/contract.js';
import { builtinMiddlewares } from './middlewares/registry.js';
import { builtinTcpMiddlewares, type TcpMiddlewareDefinition } from './middlewares/tcp/index.js';
import type { ProviderDefinition } from './providers/contract.js';
import { builtinProviders } from './providers/registry.js';
import type { BalancerDefinition, ServiceDefinition } from './services/contract.js';
import { builtinBalancers, builtinServices } from './services/registry.js';
import { builtinTcpServices, type TcpServiceDefinition } from './services/tcp/kinds.js';
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
  readonly tcpServices: Registry<TcpServiceDefinition>;
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
    tcpServices: builtinTcpServices(),
    udpServices: builtinUdpServices(),
    balancers: builtinBalancers(),
    providers: builtinProviders(),
  };
}
