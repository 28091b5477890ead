import { SwitchyardError } from '../../core/errors.js';
import { sendText } from '../../core/http-context.js';
import type { Middleware } from '../contract.js';
import { compileGoRegex, compileGoReplacement, replaceAllGo } from '../go-regex.js';
import type { RedirectRegexOptions } from './schema.js';

const STATUS_TEXT: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
};

/**
 * Matches `regex` against the request URL (`scheme://Host/target`; the scheme is `X-Forwarded-Proto` when
 * present, else the connection's) and redirects to the replaced URL. No match, or a replacement equal to
 * the URL, passes the request on. GET gets 302 (301 permanent); other methods 307 (308).
 */
export function createRedirectRegex(options: RedirectRegexOptions): Middleware {
  if (options.regex === '')
    throw new SwitchyardError('CONFIG_INVALID', 'redirectRegex: regex must not be empty');
  const re = compileGoRegex(options.regex, 'redirectRegex', 'g');
  const apply = compileGoReplacement(options.replacement);
  const [getStatus, otherStatus] = options.permanent ? [301, 308] : [302, 307];
  return (next) => (ctx) => {
    const proto = ctx.req.headers['x-forwarded-proto'];
    const scheme = (Array.isArray(proto) ? proto[0] : proto) || ctx.scheme;
    const old = `${scheme}://${ctx.req.headers.host ?? ''}${ctx.req.url ?? '/'}`;
    const out = replaceAllGo(re, apply, old);
    if (out === undefined || out === old) {
      next(ctx);
      return;
    }
    const status = ctx.req.method === 'GET' ? getStatus : otherStatus;
    sendText(ctx, status, STATUS_TEXT[status]!, { location: out });
  };
}
