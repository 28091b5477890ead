import { SwitchyardError } from '../../core/errors.js';
import type { Middleware } from '../contract.js';
import {
  encodePath,
  ensureLeadingSlash,
  queryStart,
  setRequestPath,
  toRoutingPath,
} from '../request-rewrite.js';
import type { AddPrefixOptions } from './schema.js';

/**
 * Puts `prefix` in front of the request path, in both its raw and routing forms; the query is kept. As in
 * Traefik the result always starts with `/` (`prefix: api` turns `/x` into `/api/x`) and an empty prefix
 * is a configuration error.
 */
export function createAddPrefix(options: AddPrefixOptions): Middleware {
  if (options.prefix === '') throw new SwitchyardError('CONFIG_INVALID', 'addPrefix: prefix cannot be empty');
  // The prefix is a decoded path (Traefik adds it to URL.Path): encode it once for the raw target.
  const rawPrefix = encodePath(options.prefix, false);
  const routingPrefix = toRoutingPath(rawPrefix);
  return (next) => (ctx) => {
    const url = ctx.req.url ?? '/';
    const q = queryStart(url);
    const raw = ensureLeadingSlash(rawPrefix + url.slice(0, q));
    setRequestPath(ctx, url, q, raw, ensureLeadingSlash(routingPrefix + ctx.path));
    next(ctx);
  };
}
