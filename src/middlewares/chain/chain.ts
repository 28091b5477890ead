import { errorMessage, SwitchyardError } from '../../core/errors.js';
import type { Middleware, MiddlewareBuildContext } from '../contract.js';
import type { ChainOptions } from './schema.js';

/**
 * Applies the listed middlewares in order, the first one outermost (it sees the request first and the
 * response last), exactly as if they were listed on the router. Members are resolved when the chain is
 * created, so an unknown, disabled or cyclic member disables the chain with an error naming it.
 */
export function createChain(options: ChainOptions, build: MiddlewareBuildContext): Middleware {
  const members = options.middlewares.map((name, index) => resolve(name, index, build));
  if (members.length === 0) return (next) => next;
  return (next) => {
    let handler = next;
    for (let i = members.length - 1; i >= 0; i--) handler = members[i]!(handler);
    return handler;
  };
}

function resolve(name: string, index: number, build: MiddlewareBuildContext): Middleware {
  try {
    return build.middleware(name);
  } catch (err) {
    const code = err instanceof SwitchyardError ? err.code : 'CONFIG_REFERENCE';
    const message = `chain member ${index + 1} "${name}" cannot be used: ${errorMessage(err)}`;
    throw new SwitchyardError(code, message, { cause: err });
  }
}
