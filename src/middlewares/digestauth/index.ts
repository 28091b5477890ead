import { defineMiddleware } from '../contract.js';
import { createDigestAuth } from './digest-auth.js';
import { digestAuthDeclaration } from './schema.js';

/**
 * `digestAuth`: HTTP Digest authentication (MD5) with htdigest users.
 *
 * @example http.middlewares.auth.digestAuth.users: ["test:traefik:a2688e031edb4be6a3797f3882655c05"]
 */
export default defineMiddleware({
  ...digestAuthDeclaration,
  create: (options) => createDigestAuth(options),
});
