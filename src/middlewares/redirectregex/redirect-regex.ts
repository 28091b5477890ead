import { SwitchyardError } from '../../core/errors.js';
import { compileGoRegex } from '../../core/go-regex/index.js';
import { compileGoReplacement, replaceAllGo } from '../../core/go-regex/replace.js';
import { sendError, sendText } from '../../core/http-context.js';
import { goUrlParses } from '../../entrypoints/request-target.js';
import type { Middleware } from '../contract.js';
import type { RedirectRegexOptions } from './schema.js';

const STATUS_TEXT: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
};

/**
 * Matches `regex` against the request URL (`scheme://Host/target`) and redirects to the replaced URL. No
 * match, or a replacement equal to the URL, passes the request on. GET gets 302 (301 permanent); other
 * methods 307 (308).
 *
 * As in Traefik: the scheme is `https` on a TLS connection, else the scheme of an absolute-form target
 * (`GET https://host/x`), else `http` — `X-Forwarded-Proto` is not read (redirectScheme reads it); a
 * replaced URL that Go's URL parser refuses (`http://192.168.0.%31/`) is answered 502, not sent as a
 * Location; the Location carries the scheme in lower case, as Go prints a parsed URL.
 */
export function createRedirectRegex(options: RedirectRegexOptions): Middleware {
  if (options.regex === '')
    throw new SwitchyardError('CONFIG_INVALID', 'redirectRegex: regex must not be empty');
  const re = compileGoRegex(options.regex, { owner: 'redirectRegex' });
  const apply = compileGoReplacement(options.replacement);
  const [getStatus, otherStatus] = options.permanent ? [301, 308] : [302, 307];
  return (next) => (ctx) => {
    const scheme = ctx.scheme === 'https' ? 'https' : (ctx.targetScheme ?? 'http');
    const old = `${scheme}://${ctx.req.headers.host ?? ''}${ctx.req.url ?? '/'}`;
    const out = replaceAllGo(re, apply, old);
    if (out === undefined || out === old) {
      next(ctx);
      return;
    }
    if (!goUrlParses(out)) {
      sendError(ctx, 'UPSTREAM_FAILED');
      return;
    }
    const status = ctx.req.method === 'GET' ? getStatus : otherStatus;
    sendText(ctx, status, STATUS_TEXT[status]!, { location: lowerScheme(out) });
  };
}

/** `HTTPS://Host/x` → `https://Host/x`: Go lower-cases the scheme when it parses a URL. */
function lowerScheme(url: string): string {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(url);
  return m === null || !/[A-Z]/.test(m[0]) ? url : m[0].toLowerCase() + url.slice(m[0].length);
}
