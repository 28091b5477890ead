import { defineMiddleware } from '../contract.js';
import { stripPrefixRegexDeclaration } from './schema.js';
import { createStripPrefixRegex } from './strip-prefix-regex.js';

/**
 * `stripPrefixRegex`: removes a path prefix matched by a regular expression.
 *
 * @example http.middlewares.s.stripPrefixRegex.regex: ["/api/v\\d+"]   # /api/v2/users → /users
 */
export default defineMiddleware({
  ...stripPrefixRegexDeclaration,
  create: (options) => createStripPrefixRegex(options),
});
