import { defineMiddleware } from '../contract.js';
import { createRedirectRegex } from './redirect-regex.js';
import { RedirectRegexOptions } from './schema.js';

/**
 * `redirectRegex`: redirects when the request URL matches a regular expression.
 *
 * @example http.middlewares.r.redirectRegex: { regex: "^http://localhost/(.*)", replacement: "http://example.com/${1}" }
 */
export default defineMiddleware({
  type: 'redirectRegex',
  schema: RedirectRegexOptions,
  create: (options) => createRedirectRegex(options),
});
