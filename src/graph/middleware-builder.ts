import type { MiddlewareConfig } from '../config/dynamic/index.js';
import { type RuntimeElement, recordError } from '../config/runtime/runtime-config.js';
import { errorMessage, SwitchyardError } from '../core/errors.js';
import type { HttpHandler } from '../core/http-context.js';
import type { Logger } from '../core/logger.js';
import type { Lookup } from '../core/registry.js';
import { guardHandler } from '../entrypoints/error-path.js';
import type { Middleware, MiddlewareDefinition } from '../middlewares/contract.js';
import { providerOf, qualifyRef } from './resolve-name.js';

export interface MiddlewareBuilderDeps {
  configs: Record<string, MiddlewareConfig>;
  runtime: Record<string, RuntimeElement>;
  logger: Logger;
  signal: AbortSignal;
  generation: number;
  /** The middleware kinds (built-ins and plugins). */
  registry: Lookup<MiddlewareDefinition>;
  service(name: string): HttpHandler;
}

/**
 * Builds middlewares on demand, once each, detecting cycles (chain → chain). A middleware that fails to
 * build is disabled with its error, and every router using it is disabled too.
 */
export class MiddlewareBuilder {
  private readonly built = new Map<string, Middleware | SwitchyardError>();
  private readonly building = new Set<string>();

  constructor(private readonly deps: MiddlewareBuilderDeps) {}

  /** The middleware `qualified`, or throws a SwitchyardError explaining why it is unusable. */
  get(qualified: string): Middleware {
    const done = this.built.get(qualified);
    if (done instanceof SwitchyardError) throw done;
    if (done) return done;
    if (this.building.has(qualified)) {
      throw new SwitchyardError('CONFIG_REFERENCE', `middleware cycle through "${qualified}"`);
    }
    const config = this.deps.configs[qualified];
    const element = this.deps.runtime[qualified];
    if (!config || !element || element.status === 'disabled') {
      const why = element?.errors.length
        ? `middleware "${qualified}" is disabled: ${element.errors.join('; ')}`
        : `middleware "${qualified}" does not exist`;
      throw new SwitchyardError('CONFIG_REFERENCE', why);
    }
    this.building.add(qualified);
    try {
      const mw = this.create(qualified, config);
      this.built.set(qualified, mw);
      return mw;
    } catch (err) {
      const failure =
        err instanceof SwitchyardError
          ? err
          : new SwitchyardError('CONFIG_INVALID', errorMessage(err), { cause: err });
      // Only the middleware whose own options failed records the error; references just propagate it.
      if (!(err instanceof SwitchyardError && err.code === 'CONFIG_REFERENCE' && this.building.size > 1)) {
        recordError(element, failure.message);
      }
      this.built.set(qualified, failure);
      throw failure;
    } finally {
      this.building.delete(qualified);
    }
  }

  private create(qualified: string, config: MiddlewareConfig): Middleware {
    const def = this.deps.registry.get(config.type);
    if (!def) throw new SwitchyardError('CONFIG_INVALID', `unknown middleware type "${config.type}"`);
    const provider = providerOf(qualified);
    const mw = def.create(config.options as never, {
      name: qualified,
      provider,
      logger: this.deps.logger.child({ middleware: qualified }),
      signal: this.deps.signal,
      generation: this.deps.generation,
      middleware: (name) => this.get(qualifyRef(name, provider)),
      service: (name) => this.deps.service(qualifyRef(name, provider)),
    });
    // Failures inside this middleware (a throw, a rejected promise) are answered and logged in its name.
    const logger = this.deps.logger;
    return (next) => guardHandler(mw(next), logger, qualified);
  }
}

/** Wraps `handler` in `middlewares`, the first one outermost. */
export function compose(middlewares: Middleware[], handler: HttpHandler): HttpHandler {
  let h = handler;
  for (let i = middlewares.length - 1; i >= 0; i--) h = middlewares[i]!(h);
  return h;
}
