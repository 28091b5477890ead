import { defineMiddleware } from '../contract.js';
import { createReplacePathRegex } from './replace-path-regex.js';
import { replacePathRegexDeclaration } from './schema.js';

/**
 * `replacePathRegex`: rewrites the path with a regular expression; the old path goes to X-Replaced-Path.
 *
 * @example http.middlewares.r.replacePathRegex: { regex: "^/foo/(.*)", replacement: "/bar/$1" }
 */
export default defineMiddleware({
  ...replacePathRegexDeclaration,
  create: (options) => createReplacePathRegex(options),
});
