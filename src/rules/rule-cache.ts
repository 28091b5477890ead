import type { RuleSyntax } from './matcher-definition.js';

/**
 * Compiled rules kept across configuration generations, keyed by rule text and syntax. A compiled rule
 * is a pure function of those two (the AST is read-only, a predicate only compares the request with
 * what was derived from the arguments), so the same object serves every table and generation that has
 * the rule. Generational: when a generation starts, the entries the previous one did not ask for are
 * dropped, so a removed router's rule does not stay in memory; rules that fail to compile are never
 * stored (they throw again, with the same message).
 */
export class RuleCache<T> {
  // One map per syntax, keyed by the rule text itself: the text is usually the configuration's own
  // string, whose hash V8 has already computed, where a joined key would be a new string each time. A
  // hit only stamps the entry with the generation (no insertion into a new map at every apply).
  private readonly entries = { v2: new Map<string, Stamped<T>>(), v3: new Map<string, Stamped<T>>() };
  private generation = 0;

  constructor(private readonly make: (rule: string, syntax: RuleSyntax) => T) {}

  get(rule: string, syntax: RuleSyntax): T {
    const map = this.entries[syntax];
    const entry = map.get(rule);
    if (entry !== undefined) {
      entry.generation = this.generation;
      return entry.value;
    }
    const value = this.make(rule, syntax);
    map.set(rule, { value, generation: this.generation });
    return value;
  }

  /** Starts a generation, forgetting the rules the one ending did not ask for. */
  nextGeneration(): void {
    const ending = this.generation;
    for (const map of [this.entries.v2, this.entries.v3])
      for (const [rule, entry] of map) if (entry.generation < ending) map.delete(rule);
    this.generation++;
  }

  /** Number of rules held. */
  get size(): number {
    return this.entries.v2.size + this.entries.v3.size;
  }
}

interface Stamped<T> {
  readonly value: T;
  /** The last generation that asked for it. */
  generation: number;
}
