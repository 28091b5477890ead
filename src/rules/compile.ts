import { errorMessage, SwitchyardError } from '../core/errors.js';
import { compileGoRegex } from '../core/go-regex/index.js';
import type { MatcherNode, RuleNode } from './ast.js';
import type { CompileTools, RulePredicate, RuleSyntax } from './matcher-definition.js';
import { parseRule } from './parser.js';
import { RuleCache } from './rule-cache.js';

/** A rule ready for matching. */
export interface CompiledRule {
  readonly rule: string;
  readonly syntax: RuleSyntax;
  readonly ast: RuleNode;
  readonly predicate: RulePredicate;
}

function toolsFor(node: MatcherNode): CompileTools {
  const fail = (index: number, message: string): never => {
    const column = node.argColumns[index] ?? node.column;
    throw new SwitchyardError(
      'RULE_SYNTAX',
      `invalid argument for ${node.name} at column ${column}: ${message}`,
    );
  };
  return {
    fail,
    regex(index, pattern) {
      try {
        return compileGoRegex(pattern);
      } catch (err) {
        return fail(index, `invalid regular expression ${JSON.stringify(pattern)}: ${errorMessage(err)}`);
      }
    },
  };
}

/**
 * Compiles a parsed rule into a predicate. All argument work (regexps, CIDRs, lowercasing) is done
 * here, once; the predicate only compares. Throws RULE_SYNTAX for an invalid argument.
 */
export function compileNode(node: RuleNode): RulePredicate {
  switch (node.kind) {
    case 'matcher':
      return node.definition.compile(node.args, toolsFor(node));
    case 'not': {
      const operand = compileNode(node.operand);
      return (ctx) => !operand(ctx);
    }
    case 'and': {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      return (ctx) => left(ctx) && right(ctx);
    }
    case 'or': {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      return (ctx) => left(ctx) || right(ctx);
    }
  }
}

/**
 * Parses and compiles a rule, or gives the one compiled before for the same text and syntax. Throws a
 * RULE_SYNTAX `SwitchyardError` whose message names the column.
 *
 * @example compileRule('Host(`a.com`) && PathPrefix(`/api`)').predicate(ctx)
 */
export function compileRule(rule: string, syntax: RuleSyntax = 'v3'): CompiledRule {
  return compiledRules.get(rule, syntax);
}

function compileUncached(rule: string, syntax: RuleSyntax): CompiledRule {
  const ast = parseRule(rule, syntax);
  return { rule, syntax, ast, predicate: compileNode(ast) };
}

/**
 * The rules compiled so far, shared by every route table (a rule of an unchanged router is not parsed
 * and compiled again at each apply). The graph builder starts a cache generation per configuration
 * generation (`compiledRules.nextGeneration()`).
 */
export const compiledRules = new RuleCache<CompiledRule>(compileUncached);
