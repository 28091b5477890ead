import { SwitchyardError } from '../../core/errors.js';
import { compileGoRegex } from '../../core/go-regex/index.js';
import { compileGoReplacement, replaceAllGo } from '../../core/go-regex/replace.js';
import { sendText } from '../../core/http-context.js';
import type { Middleware } from '../contract.js';
import {
  appendRequestHeader,
  ensureLeadingSlash,
  hasValidEscapes,
  queryStart,
  setRequestPath,
  toRoutingPath,
} from '../request-rewrite.js';
import { isCanonicalPath } from '../stripprefix/strip-prefix.js';
import type { ReplacePathRegexOptions } from './schema.js';

/**
 * Replaces every match of `regex` in the raw path with `replacement` (Go template syntax, prepared once);
 * the old raw path goes to `X-Replaced-Path`. A path that does not match passes unchanged.
 *
 * As in Traefik: `regex` and `replacement` are trimmed (an empty or blank replacement deletes what
 * matched: `/whoami` on `/whoami/and/whoami` gives `/and`); a result with a broken `%` escape is answered
 * 500, as Traefik does when it cannot decode it; a result that is not a canonical path (a `.` or `..`
 * segment, `//`) is answered 400, so `/foo../bar` cannot become `/../bar`. An emptied path is sent as `/`,
 * and a result without a leading `/` gets one (Traefik would send `GET and`).
 */
export function createReplacePathRegex(options: ReplacePathRegexOptions): Middleware {
  const regex = options.regex.trim();
  if (regex === '') throw new SwitchyardError('CONFIG_INVALID', 'replacePathRegex: regex must not be empty');
  const re = compileGoRegex(regex, { owner: 'replacePathRegex' });
  const apply = compileGoReplacement(options.replacement.trim());
  return (next) => (ctx) => {
    const url = ctx.req.url ?? '/';
    const q = queryStart(url);
    const raw = url.slice(0, q);
    const replaced = replaceAllGo(re, apply, raw);
    if (replaced === undefined) {
      next(ctx);
      return;
    }
    if (!hasValidEscapes(replaced)) {
      sendText(ctx, 500, 'Internal Server Error');
      return;
    }
    const out = ensureLeadingSlash(replaced) || '/';
    const routing = toRoutingPath(out);
    if (!isCanonicalPath(routing)) {
      sendText(ctx, 400, 'Bad Request\n');
      return;
    }
    appendRequestHeader(ctx.req.headers, 'x-replaced-path', raw);
    setRequestPath(ctx, url, q, out, routing);
    next(ctx);
  };
}
