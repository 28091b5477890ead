import type { RuleSyntax } from './matcher-definition.js';

/**
 * Compiled rules kept across configuration generations, keyed by rule text and syntax. A compiled rule
 * is a pure function of those two (the AST is read-only, a predicate only compares the request with
 * what was derived from the arguments), so the same object serves every table and generation that has
 * the rule. Generational: an entry not asked for since the generation before last is dropped, so a
 * removed router's rule does not stay in memory; rules that fail to compile are never stored (they
 * throw again, with the same message).
 */
export class RuleCache<T> {
  private current = new Map<string, T>();
  private previous = new Map<string, T>();

  constructor(private readonly make: (rule: string, syntax: RuleSyntax) => T) {}

  get(rule: string, syntax: RuleSyntax): T {
    const key = syntax === 'v2' ? `2${rule}` : `3${rule}`;
    let value = this.current.get(key);
    if (value !== undefined) return value;
    value = this.previous.get(key) ?? this.make(rule, syntax);
    this.current.set(key, value);
    return value;
  }

  /** Starts a generation: what the last one did not ask for is forgotten at the next call. */
  nextGeneration(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  /** Number of rules held (both generations). */
  get size(): number {
    let n = this.current.size;
    for (const key of this.previous.keys()) if (!this.current.has(key)) n++;
    return n;
  }
}
