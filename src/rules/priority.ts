import type { RuleNode } from './ast.js';
import { positiveHostExpressions } from './host-analysis.js';
import { parseRule } from './parser.js';

function tryParse(rule: string): RuleNode | undefined {
  for (const syntax of ['v3', 'v2'] as const) {
    try {
      return parseRule(rule, syntax);
    } catch {
      // try the other syntax; an unparsable rule keeps its plain length
    }
  }
  return undefined;
}

/**
 * A router's priority when none is set (or 0): the rule's length, as Traefik. Like Traefik, the two stars
 * of each `**.domain` host do not count, so a deep wildcard ranks below the exact and single-label hosts
 * it covers.
 *
 * @example defaultPriority('Host(`a.com`)') === 13
 */
export function defaultPriority(rule: string): number {
  if (!rule.includes('**.')) return rule.length;
  const ast = tryParse(rule);
  if (!ast) return rule.length;
  const deep = positiveHostExpressions(ast).filter((h) => h.startsWith('**.')).length;
  return rule.length - 2 * deep;
}
