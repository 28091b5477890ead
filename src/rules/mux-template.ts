import { SwitchyardError } from '../core/errors.js';
import { compileGoRegex, type GoRegex } from '../core/go-regex/index.js';

/**
 * Templates of Traefik's v2 rule syntax (gorilla/mux): literal text with `{name}` or `{name:regexp}`
 * variables, e.g. `{sub:[a-z]+}.example.com` or `/user/{id:[0-9]+}`. Literal parts match literally; each
 * variable matches its regexp (default: one host label, one path segment, or any query value).
 */
export type TemplateKind = 'host' | 'path' | 'pathPrefix' | 'queryValue';

const DEFAULT_PATTERN: Record<TemplateKind, string> = {
  host: '[^.]+',
  path: '[^/]+',
  pathPrefix: '[^/]+',
  queryValue: '.*',
};

/** Go's regexp.QuoteMeta. */
function quoteMeta(literal: string): string {
  return literal.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** True when the template has variables (otherwise callers compare strings directly). */
export function hasVariables(template: string): boolean {
  return template.includes('{');
}

/**
 * Compiles a template into an anchored regexp (prefix-anchored only for `pathPrefix`). Host templates
 * match case-insensitively. Throws RULE_SYNTAX for unbalanced braces, an empty name or pattern, or an
 * invalid variable regexp.
 */
export function compileTemplate(template: string, kind: TemplateKind): GoRegex {
  let source = '^';
  let level = 0;
  let open = 0;
  let literalStart = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '{') {
      if (++level === 1) open = i;
    } else if (c === '}') {
      if (--level < 0) break;
      if (level === 0) {
        source += quoteMeta(template.slice(literalStart, open));
        const body = template.slice(open + 1, i);
        const colon = body.indexOf(':');
        const name = colon === -1 ? body : body.slice(0, colon);
        const pattern = colon === -1 ? DEFAULT_PATTERN[kind] : body.slice(colon + 1);
        if (name === '' || pattern === '') {
          throw new SwitchyardError('RULE_SYNTAX', `missing variable name or pattern in "{${body}}"`);
        }
        source += `(?:${pattern})`;
        literalStart = i + 1;
      }
    }
  }
  if (level !== 0) throw new SwitchyardError('RULE_SYNTAX', `unbalanced braces in "${template}"`);
  source += quoteMeta(template.slice(literalStart));
  if (kind !== 'pathPrefix') source += '$';
  return compileGoRegex(source, { caseInsensitive: kind === 'host', code: 'RULE_SYNTAX' });
}
