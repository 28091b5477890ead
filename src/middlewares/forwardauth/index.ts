import { defineMiddleware } from '../contract.js';
import { createForwardAuth } from './forward-auth.js';
import { ForwardAuthOptions } from './schema.js';

/**
 * `forwardAuth`: delegates the decision to an authentication server.
 *
 * @example http.middlewares.auth.forwardAuth: { address: "http://auth:9000/verify", authResponseHeaders: [X-User] }
 */
export default defineMiddleware({
  type: 'forwardAuth',
  schema: ForwardAuthOptions,
  create: (options, build) => createForwardAuth(options, build.logger),
});
