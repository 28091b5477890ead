import { didYouMean } from '../../core/suggest.js';

/**
 * Reading Traefik v1 configuration trees. v1 keys are case-insensitive (Go's TOML decoder matches struct
 * fields regardless of case, and v1 KV keys are lower case), and values may arrive as strings (KV stores,
 * labels), so every accessor here looks keys up case-insensitively and converts strings.
 */
export type V1Object = Record<string, unknown>;

export function isObject(value: unknown): value is V1Object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key of `obj` equal to `name` ignoring case (and `-`/`_`), or undefined. */
export function keyOf(obj: unknown, name: string): string | undefined {
  if (!isObject(obj)) return undefined;
  if (name in obj) return name;
  const wanted = fold(name);
  return Object.keys(obj).find((k) => fold(k) === wanted);
}

function fold(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** `obj[name]`, looked up case-insensitively. */
export function get(obj: unknown, name: string): unknown {
  const key = keyOf(obj, name);
  return key === undefined ? undefined : (obj as V1Object)[key];
}

/** A sub-table, or undefined when absent or not a table. */
export function table(obj: unknown, name: string): V1Object | undefined {
  const value = get(obj, name);
  return isObject(value) ? value : undefined;
}

export function str(obj: unknown, name: string): string | undefined {
  const value = get(obj, name);
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : itemText(value);
}

export function bool(obj: unknown, name: string): boolean | undefined {
  const value = get(obj, name);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return undefined;
}

export function int(obj: unknown, name: string): number | undefined {
  const value = get(obj, name);
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/** A duration as written: Go syntax strings and bare numbers (seconds) both pass through. */
export function duration(obj: unknown, name: string): string | number | undefined {
  const value = get(obj, name);
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

/** A list: an array, a KV-style object `{0: a, 1: b}`, or a comma-separated string. */
export function list(obj: unknown, name: string): string[] | undefined {
  return asList(get(obj, name));
}

export function asList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(itemText);
  if (isObject(value)) {
    return Object.keys(value)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => itemText(value[k]));
  }
  return String(value)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * A value as text where a string is expected; a table or list is shown as written (JSON), never
 * `[object Object]` (and a table without a prototype, as TOML parsers make, does not throw).
 */
function itemText(item: unknown): string {
  return typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item);
}

/** A string map (`customRequestHeaders`): values converted to strings. */
export function stringMap(obj: unknown, name: string): Record<string, string> | undefined {
  const value = table(obj, name);
  if (!value) return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, itemText(v)]));
}

/** The entries of a named-children table (`[backends.<name>]`), skipping non-tables. */
export function children(obj: unknown, name: string): [string, V1Object][] {
  const value = table(obj, name);
  if (!value) return [];
  return Object.entries(value).filter((e): e is [string, V1Object] => isObject(e[1]));
}

/** Warnings for keys of `obj` that are not in `known` (a typo, or an option Switchyard does not know). */
export function unknownKeys(obj: unknown, known: readonly string[], where: string): string[] {
  if (!isObject(obj)) return [];
  const folded = new Set(known.map(fold));
  return Object.keys(obj)
    .filter((k) => !folded.has(fold(k)))
    .map((k) => `unknown v1 option "${where ? `${where}.` : ''}${k}" ignored${didYouMean(k, known)}`);
}

/** Sets `value` at `path` in `target` when it is not undefined, creating tables on the way. */
export function put(target: V1Object, path: readonly string[], value: unknown): void {
  if (value === undefined) return;
  let node = target;
  for (const segment of path.slice(0, -1)) {
    if (!isObject(node[segment])) node[segment] = {};
    node = node[segment] as V1Object;
  }
  node[path[path.length - 1]!] = value;
}

/** `obj` without the undefined values (for building v3 objects tersely). */
export function defined<T extends V1Object>(obj: T): T {
  for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
  return obj;
}

/** The table at `obj[key]`, created when missing (for building output trees). */
export function subTable(obj: V1Object, key: string): V1Object {
  const existing = obj[key];
  if (isObject(existing)) return existing;
  const created: V1Object = {};
  obj[key] = created;
  return created;
}
