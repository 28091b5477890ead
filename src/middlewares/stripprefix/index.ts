import { defineMiddleware } from '../contract.js';
import { stripPrefixDeclaration } from './schema.js';
import { createStripPrefix } from './strip-prefix.js';

/**
 * `stripPrefix`: removes the first matching prefix from the request path and records it in
 * `X-Forwarded-Prefix`; answers 400 when what remains is not a canonical path.
 *
 * @example http.middlewares.strip.stripPrefix.prefixes: [/api]   # GET /api/users → GET /users
 */
export default defineMiddleware({
  ...stripPrefixDeclaration,
  create: (options, ctx) => createStripPrefix(options, ctx.logger),
});
