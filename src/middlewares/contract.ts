import type { Static, TSchema } from '@sinclair/typebox';
import type { HttpHandler } from '../core/http-context.js';
import type { Logger } from '../core/logger.js';
import type { Declaration } from '../core/registry.js';

/** A middleware wraps the next handler. Built once per configuration generation. */
export type Middleware = (next: HttpHandler) => HttpHandler;

/** What a middleware's `create` may use. */
export interface MiddlewareBuildContext {
  /** Qualified name of the middleware being built, e.g. `strip@file`. */
  readonly name: string;
  /** Provider the middleware came from (`file`, `etcd`…), for resolving unqualified references. */
  readonly provider: string;
  readonly logger: Logger;
  /** Aborted when a newer configuration generation replaced this one: stop timers here. */
  readonly signal: AbortSignal;
  /** Generation number, for `GenerationStore.use` (state that outlives reloads). */
  readonly generation: number;
  /**
   * Another middleware by name (unqualified names resolve in `provider`). Throws a SwitchyardError for an
   * unknown name, a disabled middleware or a cycle.
   */
  middleware(name: string): Middleware;
  /** A service's handler by name (for middlewares that call a service, like `errors`). */
  service(name: string): HttpHandler;
}

/**
 * One middleware kind: its declaration (key, schema, references — docs/design/extensions.md) and the
 * factory. All option-derived work (regex compile, CIDR parse, header maps) happens in `create`, never per
 * request. Built-in definitions are listed in src/middlewares/registry.ts.
 */
export interface MiddlewareDefinition<S extends TSchema = TSchema> extends Declaration<S> {
  /** Throws a SwitchyardError (code CONFIG_INVALID) for options that are valid by type but unusable. */
  create(options: Static<S>, ctx: MiddlewareBuildContext): Middleware;
}

/** Helper so each definition keeps its option type: `export default defineMiddleware({ … })`. */
export function defineMiddleware<S extends TSchema>(def: MiddlewareDefinition<S>): MiddlewareDefinition<S> {
  return def;
}
