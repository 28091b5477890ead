/**
 * One registry per kind of extension (middlewares, balancers, providers, rule matchers). Definitions are
 * listed in one array and looked up by key — no if/switch chains.
 */
export class Registry<T> {
  private readonly byKey = new Map<string, T>();
  private readonly byLowerKey = new Map<string, string>();

  constructor(
    readonly kind: string,
    definitions: Iterable<[string, T]> = [],
  ) {
    for (const [key, def] of definitions) this.register(key, def);
  }

  register(key: string, def: T): void {
    const lower = key.toLowerCase();
    if (this.byLowerKey.has(lower)) throw new Error(`${this.kind} "${key}" is registered twice`);
    this.byKey.set(key, def);
    this.byLowerKey.set(lower, key);
  }

  /** Case-insensitive lookup, as Traefik's configuration keys are. */
  get(key: string): T | undefined {
    const canonical = this.byLowerKey.get(key.toLowerCase());
    return canonical === undefined ? undefined : this.byKey.get(canonical);
  }

  /** The canonical spelling of a key, or undefined. */
  canonical(key: string): string | undefined {
    return this.byLowerKey.get(key.toLowerCase());
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }
}
