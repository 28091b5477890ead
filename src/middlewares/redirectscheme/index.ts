import { defineMiddleware } from '../contract.js';
import { createRedirectScheme } from './redirect-scheme.js';
import { redirectSchemeDeclaration } from './schema.js';

/**
 * `redirectScheme`: redirects the client to another scheme and/or port, unless it already uses them.
 *
 * @example http.middlewares.to-https.redirectScheme: { scheme: https, permanent: true }
 */
export default defineMiddleware({
  ...redirectSchemeDeclaration,
  create: (options) => createRedirectScheme(options),
});
