import { defineMiddleware } from '../contract.js';
import { createAddPrefix } from './add-prefix.js';
import { addPrefixDeclaration } from './schema.js';

/**
 * `addPrefix`: prefixes the request path before it is forwarded.
 *
 * @example http.middlewares.api.addPrefix.prefix: /api   # GET /users?x=1 → GET /api/users?x=1
 */
export default defineMiddleware({
  ...addPrefixDeclaration,
  create: (options) => createAddPrefix(options),
});
