import { SwitchyardError } from '../../core/errors.js';
import { sendText } from '../../core/http-context.js';
import type { Logger } from '../../core/logger.js';
import type { Middleware } from '../contract.js';
import { parseBasic, userLines } from '../users-file.js';
import { type Verifier, verifierFor } from './htpasswd.js';
import type { BasicAuthOptions } from './schema.js';

/**
 * HTTP Basic authentication against htpasswd users. A missing or wrong credential gets 401 with
 * `WWW-Authenticate: Basic realm="<realm>"`. On success the user name goes to `headerField` (if set) and
 * `Authorization` is removed when `removeHeader`.
 */
export function createBasicAuth(options: BasicAuthOptions, logger: Logger): Middleware {
  const users = new Map<string, Verifier>();
  for (const line of userLines(options.users, options.usersFile, 'basicAuth')) {
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new SwitchyardError('CONFIG_INVALID', `basicAuth: user ${JSON.stringify(line)} is not name:hash`);
    const name = line.slice(0, colon);
    const verify = verifierFor(line.slice(colon + 1));
    if (!verify) {
      throw new SwitchyardError(
        'CONFIG_INVALID',
        `basicAuth: the hash of user "${name}" is not MD5-apr1, SHA1 or bcrypt`,
      );
    }
    if (users.has(name)) logger.warn('basicAuth: user defined twice, the last one wins', { user: name });
    users.set(name, verify);
  }
  if (users.size === 0)
    throw new SwitchyardError('CONFIG_INVALID', 'basicAuth: no user (set users or usersFile)');
  const challenge = `Basic realm="${options.realm.replace(/"/g, '\\"')}"`;
  const field = options.headerField?.toLowerCase();
  return (next) => (ctx) => {
    const cred = parseBasic(ctx.req.headers.authorization);
    const verify = cred && users.get(cred[0]);
    // As Traefik: the access log names the user who tried, whether or not the password was right.
    if (cred) ctx.clientUsername = cred[0];
    if (!cred || !verify?.(cred[1])) {
      sendText(ctx, 401, '401 Unauthorized\n', { 'www-authenticate': challenge });
      return;
    }
    if (field) ctx.req.headers[field] = cred[0];
    if (options.removeHeader) delete ctx.req.headers.authorization;
    next(ctx);
  };
}
