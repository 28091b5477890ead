import { SwitchyardError } from '../core/errors.js';
import type { HttpContext } from '../core/http-context.js';
import { ipSelector } from './ip-strategy.js';
import type { SourceCriterionOptions } from './source-schemas.js';

/** Returns the key grouping a request ('' = no source, which Traefik treats as an error). */
export type SourceExtractor = (ctx: HttpContext) => string;

/** Prepares a source criterion; the default is the peer address. */
export function sourceExtractor(options: SourceCriterionOptions | undefined, owner: string): SourceExtractor {
  const set = [
    options?.ipStrategy !== undefined,
    !!options?.requestHeaderName,
    options?.requestHost === true,
  ].filter(Boolean).length;
  if (set > 1) {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `${owner}: sourceCriterion takes only one of ipStrategy, requestHeaderName, requestHost`,
    );
  }
  if (options?.requestHeaderName) {
    const name = options.requestHeaderName.toLowerCase();
    return (ctx) => {
      const v = ctx.req.headers[name];
      return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
    };
  }
  if (options?.requestHost) return (ctx) => ctx.host;
  return ipSelector(options?.ipStrategy, owner);
}
