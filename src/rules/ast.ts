import type { MatcherDefinition } from './matcher-definition.js';

/** A matcher call such as ``Host(`a.com`)``; `name` is the canonical spelling, columns are 1-based. */
export interface MatcherNode {
  readonly kind: 'matcher';
  readonly name: string;
  readonly args: readonly string[];
  readonly column: number;
  readonly argColumns: readonly number[];
  readonly definition: MatcherDefinition;
}

/** `!operand`. */
export interface NotNode {
  readonly kind: 'not';
  readonly operand: RuleNode;
}

/** `left && right` or `left || right`. */
export interface BinaryNode {
  readonly kind: 'and' | 'or';
  readonly left: RuleNode;
  readonly right: RuleNode;
}

/** The parsed form of a rule. */
export type RuleNode = MatcherNode | NotNode | BinaryNode;

function quote(arg: string): string {
  if (!arg.includes('`') && !arg.includes('\r')) return `\`${arg}\``;
  // JSON escapes are valid Go escapes for the characters JSON.stringify produces.
  return JSON.stringify(arg);
}

const PRECEDENCE = { or: 1, and: 2, not: 3, matcher: 4 } as const;

/**
 * Writes a rule back as text, fully normalized: canonical matcher names, backtick strings, single spaces
 * around operators and only the parentheses precedence needs.
 *
 * @example formatRule(parseRule('host("A") &&(Path(`/`))')) === 'Host(`A`) && Path(`/`)'
 */
export function formatRule(node: RuleNode): string {
  switch (node.kind) {
    case 'matcher':
      return `${node.name}(${node.args.map(quote).join(', ')})`;
    case 'not':
      return `!${wrap(node.operand, PRECEDENCE.not)}`;
    default: {
      const op = node.kind === 'and' ? ' && ' : ' || ';
      const own = PRECEDENCE[node.kind];
      // Both operators are associative, so a same-precedence right operand needs no parentheses.
      return `${wrap(node.left, own)}${op}${wrap(node.right, own)}`;
    }
  }
}

function wrap(node: RuleNode, parent: number): string {
  const text = formatRule(node);
  return PRECEDENCE[node.kind] < parent ? `(${text})` : text;
}
