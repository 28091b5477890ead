import { SwitchyardError } from '../core/errors.js';
import type { Registry } from '../core/registry.js';
import { didYouMean } from '../core/suggest.js';
import type { MatcherNode, RuleNode } from './ast.js';
import { describeToken, Lexer, syntaxError, type Token } from './lexer.js';
import { isAcceptedSpelling, type MatcherDefinition, type RuleSyntax } from './matcher-definition.js';
import { MATCHER_TABLES } from './matcher-tables.js';

/** One matcher registry per syntax: HTTP rules by default, TCP rules pass their own (src/router/tcp). */
export type MatcherTables = Readonly<Record<RuleSyntax, Registry<MatcherDefinition>>>;

/**
 * Parses a rule into an AST. Grammar (usual precedence, `!` > `&&` > `||`, both binary operators
 * left-associative):
 *
 *     or      = and { "||" and }
 *     and     = unary { "&&" unary }
 *     unary   = "!" unary | "(" or ")" | matcher
 *     matcher = Name "(" [ string { "," string } [ "," ] ] ")"
 *
 * Matcher names are checked against the syntax's table and arities are validated here; argument values
 * are validated when the rule is compiled. Every error is a RULE_SYNTAX `SwitchyardError` that names the
 * 1-based column.
 *
 * @example parseRule('Host(`a.com`) && !PathPrefix(`/admin`)')
 */
export function parseRule(
  rule: string,
  syntax: RuleSyntax = 'v3',
  tables: MatcherTables = MATCHER_TABLES,
): RuleNode {
  const parser = new Parser(new Lexer(rule), syntax, tables);
  if (parser.peek().kind === 'end') throw syntaxError(1, 'the rule is empty');
  const root = parser.or();
  const next = parser.peek();
  if (next.kind !== 'end') {
    const hint = next.kind === 'ident' || next.kind === '(' ? ' (missing "&&" or "||"?)' : '';
    throw syntaxError(
      next.column,
      `expected "&&", "||" or end of rule but found ${describeToken(next)}${hint}`,
    );
  }
  return root;
}

class Parser {
  // Read only when needed, so an error about a token comes before any error further right.
  private current: Token | undefined;
  private readonly table: Registry<MatcherDefinition>;

  constructor(
    private readonly lexer: Lexer,
    private readonly syntax: RuleSyntax,
    private readonly tables: MatcherTables,
  ) {
    this.table = tables[syntax];
  }

  peek(): Token {
    this.current ??= this.lexer.next();
    return this.current;
  }

  private take(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.current = undefined;
    return token;
  }

  private expect(kind: Token['kind'], what: string): Token {
    const token = this.take();
    if (token.kind !== kind)
      throw syntaxError(token.column, `expected ${what} but found ${describeToken(token)}`);
    return token;
  }

  or(): RuleNode {
    let left = this.and();
    while (this.peek().kind === '||') {
      this.take();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): RuleNode {
    let left = this.unary();
    while (this.peek().kind === '&&') {
      this.take();
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): RuleNode {
    const token = this.take();
    switch (token.kind) {
      case '!':
        return { kind: 'not', operand: this.unary() };
      case '(': {
        const inner = this.or();
        this.expect(')', '")"');
        return inner;
      }
      case 'ident':
        return this.matcher(token);
      default:
        throw syntaxError(token.column, `expected a matcher, "!" or "(" but found ${describeToken(token)}`);
    }
  }

  private matcher(nameToken: Token): MatcherNode {
    const definition = this.resolve(nameToken);
    this.expect('(', `"(" after ${definition.name}`);
    const args: string[] = [];
    const argColumns: number[] = [];
    while (this.peek().kind !== ')') {
      const arg = this.take();
      if (arg.kind !== 'string') {
        const hint = arg.kind === 'ident' ? ' (quote values with backticks: `value`)' : '';
        throw syntaxError(
          arg.column,
          `expected a string argument or ")" but found ${describeToken(arg)}${hint}`,
        );
      }
      args.push(arg.value);
      argColumns.push(arg.column);
      if (this.peek().kind !== ',') break;
      this.take();
    }
    this.expect(')', '"," or ")"');
    this.checkArguments(definition, nameToken.column, args, argColumns);
    return { kind: 'matcher', name: definition.name, args, column: nameToken.column, argColumns, definition };
  }

  private resolve(token: Token): MatcherDefinition {
    const found = this.table.get(token.value);
    if (found && isAcceptedSpelling(token.value, found.name)) return found;
    const other = this.syntax === 'v3' ? 'v2' : 'v3';
    const elsewhere = found ? undefined : this.tables[other].get(token.value);
    const hint =
      elsewhere && isAcceptedSpelling(token.value, elsewhere.name)
        ? `; "${elsewhere.name}" exists only with ruleSyntax ${other}`
        : '';
    throw new SwitchyardError(
      'RULE_SYNTAX',
      `unknown matcher "${token.value}" at column ${token.column}${didYouMean(token.value, this.table.keys())}${hint}`,
    );
  }

  private checkArguments(def: MatcherDefinition, column: number, args: string[], argColumns: number[]): void {
    const n = args.length;
    const arity = n < def.minArgs || n > def.maxArgs ? expectedCount(def) : def.checkArity?.(n);
    if (arity !== undefined) {
      const hint =
        this.syntax === 'v3' && def.maxArgs === 1 && n > 1
          ? ' (v3 matchers take one value: combine them with ||)'
          : '';
      throw new SwitchyardError(
        'RULE_SYNTAX',
        `wrong number of arguments for ${def.name} at column ${column}: ${arity}, got ${n}${hint}`,
      );
    }
    const empty = args.indexOf('');
    if (empty !== -1) {
      throw new SwitchyardError(
        'RULE_SYNTAX',
        `empty argument for ${def.name} at column ${argColumns[empty]}`,
      );
    }
  }
}

function expectedCount(def: MatcherDefinition): string {
  const plural = (k: number): string => `${k} argument${k === 1 ? '' : 's'}`;
  if (def.maxArgs === Number.POSITIVE_INFINITY) return `expected at least ${plural(def.minArgs)}`;
  if (def.minArgs === def.maxArgs) return `expected ${plural(def.minArgs)}`;
  return `expected ${def.minArgs} or ${plural(def.maxArgs)}`;
}
