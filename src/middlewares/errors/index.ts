import { defineMiddleware } from '../contract.js';
import { createErrors } from './errors.js';
import { errorsDeclaration } from './schema.js';

/**
 * `errors`: replaces error responses with pages from another service.
 *
 * @example http.middlewares.e.errors: { status: ["500-599"], service: error-pages, query: "/{status}.html" }
 */
export default defineMiddleware({
  ...errorsDeclaration,
  create: (options, build) => createErrors(options, build),
});
