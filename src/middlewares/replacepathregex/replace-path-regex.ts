import { SwitchyardError } from '../../core/errors.js';
import { sendText } from '../../core/http-context.js';
import type { Middleware } from '../contract.js';
import { compileGoRegex, compileGoReplacement, replaceAllGo } from '../go-regex.js';
import {
  appendRequestHeader,
  hasValidEscapes,
  queryStart,
  setRequestPath,
  toRoutingPath,
} from '../request-rewrite.js';
import type { ReplacePathRegexOptions } from './schema.js';

/**
 * Replaces every match of `regex` in the raw path with `replacement` (Go template syntax, prepared once);
 * the old raw path goes to `X-Replaced-Path`. A path that does not match passes unchanged. A result with a
 * broken `%` escape is answered 500, as Traefik does when it cannot decode it.
 */
export function createReplacePathRegex(options: ReplacePathRegexOptions): Middleware {
  if (options.regex === '')
    throw new SwitchyardError('CONFIG_INVALID', 'replacePathRegex: regex must not be empty');
  const global = compileGoRegex(options.regex, 'replacePathRegex', 'g');
  const apply = compileGoReplacement(options.replacement);
  if (options.replacement === '') return (next) => next; // Traefik leaves the path alone then
  return (next) => (ctx) => {
    const url = ctx.req.url ?? '/';
    const q = queryStart(url);
    const raw = url.slice(0, q);
    const out = replaceAllGo(global, apply, raw);
    if (out === undefined) {
      next(ctx);
      return;
    }
    if (!hasValidEscapes(out)) {
      sendText(ctx, 500, 'Internal Server Error');
      return;
    }
    appendRequestHeader(ctx.req.headers, 'x-replaced-path', raw);
    setRequestPath(ctx, url, q, out, toRoutingPath(out));
    next(ctx);
  };
}
