import { SwitchyardError } from '../../core/errors.js';
import type { Middleware } from '../contract.js';
import {
  appendRequestHeader,
  encodePath,
  ensureLeadingSlash,
  hasValidEscapes,
  queryStart,
  setRequestPath,
  toRoutingPath,
} from '../request-rewrite.js';
import type { ReplacePathOptions } from './schema.js';

/**
 * Replaces the request path with `options.path`, keeping the query, and adds the previous path (raw form,
 * no query) as `X-Replaced-Path`.
 *
 * `path` is an encoded path, as in Traefik (which sets it as `URL.RawPath`). Two deliberate differences:
 * a path with a broken escape (`%zz`) is rejected when the configuration is loaded instead of answering
 * 500 to every request, and a path without a leading `/` gets one (Traefik would send `GET foo`).
 */
export function createReplacePath(options: ReplacePathOptions): Middleware {
  if (!hasValidEscapes(options.path)) {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `replacePath: path ${JSON.stringify(options.path)} has a "%" that does not start a %XX escape`,
    );
  }
  const rawPath = ensureLeadingSlash(encodePath(options.path, true)) || '/';
  const routing = toRoutingPath(rawPath);
  return (next) => (ctx) => {
    const url = ctx.req.url ?? '/';
    const q = queryStart(url);
    appendRequestHeader(ctx.req.headers, 'x-replaced-path', url.slice(0, q));
    setRequestPath(ctx, url, q, rawPath, routing);
    next(ctx);
  };
}
