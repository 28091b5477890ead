import { defineMiddleware } from '../contract.js';
import { createReplacePath } from './replace-path.js';
import { replacePathDeclaration } from './schema.js';

/**
 * `replacePath`: forwards the request with another path; the old one goes to `X-Replaced-Path`.
 *
 * @example http.middlewares.to-foo.replacePath.path: /foo   # GET /bar?x=1 → GET /foo?x=1
 */
export default defineMiddleware({
  ...replacePathDeclaration,
  create: (options) => createReplacePath(options),
});
