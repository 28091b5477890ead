import { defineMiddleware } from '../contract.js';
import { createBasicAuth } from './basic-auth.js';
import { basicAuthDeclaration } from './schema.js';

/**
 * `basicAuth`: HTTP Basic authentication with htpasswd users (MD5-apr1, SHA1, bcrypt).
 *
 * @example http.middlewares.auth.basicAuth.users: ["test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"]
 */
export default defineMiddleware({
  ...basicAuthDeclaration,
  create: (options, build) => createBasicAuth(options, build.logger),
});
