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
  // One map per syntax, keyed by the rule text itself: the text is usually the configuration's own
  // string, whose hash V8 has already computed, where a joined key would be a new string each time.
  private current = { v2: new Map<string, T>(), v3: new Map<string, T>() };
  private previous = { v2: new Map<string, T>(), v3: new Map<string, T>() };

  constructor(private readonly make: (rule: string, syntax: RuleSyntax) => T) {}

  get(rule: string, syntax: RuleSyntax): T {
    const current = this.current[syntax];
    let value = current.get(rule);
    if (value !== undefined) return value;
    value = this.previous[syntax].get(rule) ?? this.make(rule, syntax);
    current.set(rule, value);
    return value;
  }

  /** Starts a generation: what the last one did not ask for is forgotten at the next call. */
  nextGeneration(): void {
    this.previous = this.current;
    this.current = { v2: new Map(), v3: new Map() };
  }

  /** Number of rules held (both generations). */
  get size(): number {
    let n = 0;
    for (const syntax of ['v2', 'v3'] as const) {
      n += this.current[syntax].size;
      for (const rule of this.previous[syntax].keys()) if (!this.current[syntax].has(rule)) n++;
    }
    return n;
  }
}
