import { formatRule, type MatcherNode, type RuleNode } from './ast.js';

/**
 * Traefik v2 rules put gorilla/mux templates in `HostRegexp`, `Path` and `PathPrefix`:
 * ``HostRegexp(`{sub:[a-z]+}.example.test`)``. The v3 syntax reads the same text as a regular expression
 * (`HostRegexp`, `PathRegexp`) or as literal text (`Path`, `PathPrefix`), where `{sub:…}` only matches
 * itself: the router is accepted and never matches. This finds such matchers in a v3 rule and writes the
 * v3 form to suggest.
 */

/** `{name}` or `{name:pattern}`; the pattern may hold one level of braces (`{id:[0-9]{3}}`). */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_-]*)(?::((?:[^{}]|\{[^{}]*\})*))?\}/g;

/** What each matcher becomes in v3 (name, anchors) and what a bare `{name}` stands for. */
const V3_FORMS: Record<string, { name: string; start: string; end: string; literal: boolean; bare: string }> =
  {
    HostRegexp: { name: 'HostRegexp', start: '^', end: '$', literal: true, bare: '[^.]+' },
    Path: { name: 'PathRegexp', start: '^', end: '$', literal: true, bare: '[^/]+' },
    PathPrefix: { name: 'PathRegexp', start: '^', end: '', literal: true, bare: '[^/]+' },
    PathRegexp: { name: 'PathRegexp', start: '', end: '', literal: false, bare: '[^/]+' },
  };

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The v3 regular expression for one v2 template, or undefined when it has no placeholder. */
function templateToRegex(template: string, form: (typeof V3_FORMS)[string]): string | undefined {
  let out = '';
  let last = 0;
  let found = false;
  for (const m of template.matchAll(PLACEHOLDER)) {
    found = true;
    const text = template.slice(last, m.index);
    out += form.literal ? escapeRegex(text) : text;
    out += m[2] === undefined ? form.bare : m[2];
    last = m.index + m[0].length;
  }
  if (!found) return undefined;
  const rest = template.slice(last);
  return form.start + out + (form.literal ? escapeRegex(rest) : rest) + form.end;
}

/** The matchers of `node` holding a v2 placeholder, with their v3 replacement. */
function findPlaceholders(node: RuleNode, out: { from: MatcherNode; to: MatcherNode }[] = []) {
  switch (node.kind) {
    case 'matcher': {
      const form = V3_FORMS[node.name];
      if (!form) break;
      const regexes = node.args.map((a) => templateToRegex(a, form));
      if (regexes.every((r) => r === undefined)) break;
      const args = node.args.map((a, i) => regexes[i] ?? (form.literal ? `^${escapeRegex(a)}$` : a));
      // v3 matchers take one argument: several v2 hosts or paths become one alternation.
      const arg = args.length === 1 ? args[0]! : args.map((a) => `(?:${a})`).join('|');
      out.push({ from: node, to: { ...node, name: form.name, args: [arg] } });
      break;
    }
    case 'not':
      findPlaceholders(node.operand, out);
      break;
    default:
      findPlaceholders(node.left, out);
      findPlaceholders(node.right, out);
  }
  return out;
}

/**
 * A warning for a v3 rule written with v2 placeholders, suggesting the v3 form; undefined when there are
 * none.
 *
 * @example
 *   v2PlaceholderWarning(parseRule('HostRegexp(`{sub:[a-z]+}.example.test`)'))
 *   // → "… Write HostRegexp(`^[a-z]+\.example\.test$`) instead of HostRegexp(`{sub:[a-z]+}.example.test`) …"
 */
export function v2PlaceholderWarning(ast: RuleNode): string | undefined {
  const found = findPlaceholders(ast);
  if (found.length === 0) return undefined;
  const parts = found.map(({ from, to }) => `${formatRule(to)} instead of ${formatRule(from)}`);
  return (
    'the rule has v2 placeholders ({name:pattern}), which the v3 rule syntax does not expand: they never ' +
    `match as meant. Write ${parts.join(', and ')} (or set ruleSyntax: v2 on the router)`
  );
}
