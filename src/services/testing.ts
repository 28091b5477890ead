import type { ServersTransport } from '../config/dynamic/index.js';
import { SwitchyardError } from '../core/errors.js';
import type { HttpHandler } from '../core/http-context.js';
import { Logger } from '../core/logger.js';
import type { BuiltService, ServiceBuildContext } from './contract.js';
import { builtinBalancers } from './registry.js';

let nextGeneration = 1_000_000;

/**
 * A `ServiceBuildContext` for unit tests: child services come from `children`, transports from
 * `transports` (`default@internal` = {}). Abort `controller` to end the generation.
 */
export function testServiceContext(
  opts: {
    name?: string;
    children?: Record<string, BuiltService>;
    transports?: Record<string, ServersTransport>;
    controller?: AbortController;
  } = {},
): ServiceBuildContext {
  const transports: Record<string, ServersTransport> = { 'default@internal': {}, ...opts.transports };
  const child = (n: string): BuiltService => {
    const found = opts.children?.[n];
    if (!found) throw new SwitchyardError('CONFIG_REFERENCE', `service "${n}" does not exist`);
    return found;
  };
  return {
    name: opts.name ?? `svc${nextGeneration}@file`,
    provider: 'file',
    logger: Logger.create({ level: 'ERROR' }),
    signal: (opts.controller ?? new AbortController()).signal,
    generation: nextGeneration++,
    transport: (n) => {
      const name = n ?? 'default@internal';
      const config = transports[name];
      if (!config) throw new SwitchyardError('CONFIG_REFERENCE', `serversTransport "${name}" does not exist`);
      return { name, config };
    },
    service: (n): HttpHandler => child(n).handler,
    serviceHealth: (n) => child(n).health,
    balancers: builtinBalancers(),
  };
}
