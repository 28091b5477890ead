import { defineMiddleware } from '../contract.js';
import { createRedirectRegex } from './redirect-regex.js';
import { redirectRegexDeclaration } from './schema.js';

/**
 * `redirectRegex`: redirects when the request URL matches a regular expression.
 *
 * @example http.middlewares.r.redirectRegex: { regex: "^http://localhost/(.*)", replacement: "http://example.com/${1}" }
 */
export default defineMiddleware({
  ...redirectRegexDeclaration,
  create: (options) => createRedirectRegex(options),
});
