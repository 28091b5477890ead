import type { TSchema } from '@sinclair/typebox';

/** What kind of element an option names. */
export type ReferenceTarget = 'middleware' | 'service' | 'serversTransport';

/**
 * An option that names another element of the same layer (HTTP or TCP/UDP). `path` walks the options;
 * `*` stands for every item of a list (or every value of a map, as KV and labels spell lists).
 *
 * @example { path: ['services', '*', 'name'], to: 'service' } // weighted.services[].name
 */
export interface Reference {
  readonly path: readonly string[];
  readonly to: ReferenceTarget;
}

/**
 * The plain-data half of every extension (docs/design/extensions.md): key, options schema and the option
 * paths that name other elements. Validation, qualification, "used by" and the JSON Schemas need only
 * this; a definition adds the factory.
 */
export interface Declaration<S extends TSchema = TSchema> {
  /** The configuration key in canonical spelling (`stripPrefix`, `loadBalancer`, `wrr`, `etcd`). */
  readonly type: string;
  /** Options schema (TypeBox); options reach the factory normalized (defaults applied, durations in ms). */
  readonly schema: S;
  /** Options that name other elements; none when absent. */
  readonly refs?: readonly Reference[];
}

/** Read access to a registry: what the validator and the JSON Schema generator take. */
export interface Lookup<T> {
  get(key: string): T | undefined;
  canonical(key: string): string | undefined;
  keys(): string[];
}

/**
 * One registry per kind of extension (middlewares, service kinds, balancers, providers…). Definitions are
 * listed in one array and looked up by key — no if/switch chains. Registries are built at startup
 * (`builtinExtensions()`, then plugins) and passed to whoever needs them.
 */
export class Registry<T> implements Lookup<T> {
  private readonly byKey = new Map<string, T>();
  private readonly byLowerKey = new Map<string, string>();

  constructor(
    readonly kind: string,
    definitions: Iterable<[string, T]> = [],
  ) {
    for (const [key, def] of definitions) this.register(key, def);
  }

  /** A registry of definitions keyed by their `type`. */
  static of<D extends { readonly type: string }>(kind: string, definitions: Iterable<D>): Registry<D> {
    return new Registry(
      kind,
      [...definitions].map((d): [string, D] => [d.type, d]),
    );
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

  values(): T[] {
    return [...this.byKey.values()];
  }
}
