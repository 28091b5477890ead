import { defineMiddleware } from '../contract.js';
import { createForwardAuth } from './forward-auth.js';
import { forwardAuthDeclaration } from './schema.js';

/**
 * `forwardAuth`: delegates the decision to an authentication server.
 *
 * @example http.middlewares.auth.forwardAuth: { address: "http://auth:9000/verify", authResponseHeaders: [X-User] }
 */
export default defineMiddleware({
  ...forwardAuthDeclaration,
  create: (options, build) => createForwardAuth(options, build.logger),
});
