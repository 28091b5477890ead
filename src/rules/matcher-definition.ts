import type { GoRegex } from '../core/go-regex/index.js';
import type { HttpContext } from '../core/http-context.js';

/** A compiled rule (or part of one): true when the request matches. */
export type RulePredicate = (ctx: HttpContext) => boolean;

/** Traefik's rule syntaxes (`ruleSyntax` on a router). */
export type RuleSyntax = 'v2' | 'v3';

/** What a matcher may use while compiling its arguments. */
export interface CompileTools {
  /** Rejects argument `index` with a message; the error points at the argument's column. */
  fail(index: number, message: string): never;
  /** Compiles argument `index` as a Go (RE2) regular expression, or fails pointing at it. */
  regex(index: number, pattern: string): GoRegex;
}

/**
 * One rule matcher: its name, how many arguments it takes, and how it compiles them into a predicate.
 * All argument work (lowercasing, regex and CIDR parsing) happens in `compile`, once per configuration.
 *
 * @example { name: 'Method', minArgs: 1, maxArgs: 1, compile: ([m]) => (ctx) => ctx.req.method === m }
 */
export interface MatcherDefinition {
  readonly name: string;
  readonly minArgs: number;
  /** `Number.POSITIVE_INFINITY` for variadic (v2) matchers. */
  readonly maxArgs: number;
  /** Extra arity constraint (v2 pairs): returns a message when the count is wrong. */
  readonly checkArity?: (count: number) => string | undefined;
  compile(args: readonly string[], tools: CompileTools): RulePredicate;
  /**
   * For host matchers: the host expressions the matcher accepts (lowercased, trailing dot removed), one of
   * which the request host must match. Used for the router's host index and TLS/ACME domains.
   */
  readonly hostExpressions?: (args: readonly string[]) => readonly string[];
}

/**
 * Traefik registers each matcher under its own spelling, lowercase, UPPERCASE and Titlecase
 * (`PathPrefix`, `pathprefix`, `PATHPREFIX`, `Pathprefix`); any other spelling is unknown.
 */
export function isAcceptedSpelling(written: string, canonical: string): boolean {
  if (written === canonical) return true;
  const lower = canonical.toLowerCase();
  return (
    written === lower ||
    written === canonical.toUpperCase() ||
    written === lower[0]!.toUpperCase() + lower.slice(1)
  );
}
