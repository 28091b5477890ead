import { compileGoRegex } from '../../core/go-regex/index.js';
import { sendText } from '../../core/http-context.js';
import type { Middleware } from '../contract.js';
import {
  appendRequestHeader,
  ensureLeadingSlash,
  queryStart,
  rawLength,
  setRequestPath,
} from '../request-rewrite.js';
import { isCanonicalPath } from '../stripprefix/strip-prefix.js';
import type { StripPrefixRegexOptions } from './schema.js';

/**
 * Removes the text matched by the first expression that matches at the start of the (decoded) path, sets
 * `X-Forwarded-Prefix` to it, and forwards; a remainder that is not a canonical path is answered 400, as
 * `stripPrefix` does. Expressions are compiled once; an empty match strips nothing.
 */
export function createStripPrefixRegex(options: StripPrefixRegexOptions): Middleware {
  const expressions = options.regex.map((r) => compileGoRegex(r, { owner: 'stripPrefixRegex' }));
  if (expressions.length === 0) return (next) => next;
  return (next) => (ctx) => {
    const path = ctx.path;
    for (const re of expressions) {
      const m = re.exec(path);
      if (m === null || m.index !== 0 || m[0] === '') continue;
      const prefix = m[0];
      const routing = ensureLeadingSlash(path.slice(prefix.length)) || '/';
      if (!isCanonicalPath(routing)) {
        sendText(ctx, 400, 'Bad Request\n');
        return;
      }
      const url = ctx.req.url ?? '/';
      const q = queryStart(url);
      // The raw path loses exactly the text that spells the matched prefix (`/b/ap%69/` for `/b/api/`);
      // the rest keeps its escapes as the client sent them.
      const raw = url.slice(0, q);
      const rawRest = ensureLeadingSlash(raw.slice(rawLength(raw, prefix.length))) || '/';
      setRequestPath(ctx, url, q, rawRest, routing);
      appendRequestHeader(ctx.req.headers, 'x-forwarded-prefix', prefix);
      next(ctx);
      return;
    }
    next(ctx);
  };
}
