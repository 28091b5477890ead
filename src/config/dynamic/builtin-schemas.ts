import { type Declaration, type Lookup, Registry } from '../../core/registry.js';
import { MIDDLEWARE_DECLARATIONS } from '../../middlewares/declarations.js';
import { TCP_MIDDLEWARE_DECLARATIONS } from '../../middlewares/tcp/schema.js';
import { SERVICE_DECLARATIONS, TCP_SERVICE_DECLARATIONS, UDP_SERVICE_DECLARATIONS } from './service-kinds.js';

/**
 * The declarations (key, schema, references) of the kinds a dynamic configuration names: what validation
 * and qualification need. The `Extensions` of a running instance (src/extensions.ts) satisfy it, plugins
 * included.
 */
export interface ExtensionSchemas {
  readonly middlewares: Lookup<Declaration>;
  readonly tcpMiddlewares: Lookup<Declaration>;
  readonly services: Lookup<Declaration>;
  readonly tcpServices: Lookup<Declaration>;
  readonly udpServices: Lookup<Declaration>;
}

/** The built-in declarations only (no plugins); loads schema files, never an implementation. */
export const BUILTIN_SCHEMAS: ExtensionSchemas = {
  middlewares: Registry.of('middleware', MIDDLEWARE_DECLARATIONS),
  tcpMiddlewares: Registry.of('TCP middleware', TCP_MIDDLEWARE_DECLARATIONS),
  services: Registry.of('service kind', SERVICE_DECLARATIONS),
  tcpServices: Registry.of('TCP service kind', TCP_SERVICE_DECLARATIONS),
  udpServices: Registry.of('UDP service kind', UDP_SERVICE_DECLARATIONS),
};
