import { sendText } from '../../core/http-context.js';
import type { Middleware } from '../contract.js';
import { queryStart } from '../request-rewrite.js';
import type { EncodedCharactersOptions } from './schema.js';

const CODES: readonly [keyof EncodedCharactersOptions, string][] = [
  ['allowEncodedSlash', '2F'],
  ['allowEncodedBackSlash', '5C'],
  ['allowEncodedNullCharacter', '00'],
  ['allowEncodedSemicolon', '3B'],
  ['allowEncodedPercent', '25'],
  ['allowEncodedQuestionMark', '3F'],
  ['allowEncodedHash', '23'],
];

/**
 * Answers 400 when the raw request path (not the query) carries one of the escapes that is not allowed,
 * in either case (`%2f` and `%2F`). Everything allowed: the middleware is a no-op.
 */
export function createEncodedCharacters(options: EncodedCharactersOptions): Middleware {
  const denied = CODES.filter(([key]) => !options[key]).map(([, hex]) => hex);
  if (denied.length === 0) return (next) => next;
  const re = new RegExp(`%(?:${denied.join('|')})`, 'i');
  return (next) => (ctx) => {
    const url = ctx.req.url ?? '/';
    const path = url.slice(0, queryStart(url));
    if (path.indexOf('%') !== -1 && re.test(path)) {
      sendText(ctx, 400, 'Bad Request\n');
      return;
    }
    next(ctx);
  };
}
