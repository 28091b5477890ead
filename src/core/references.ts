import type { Reference, ReferenceTarget } from './registry.js';

type Rename = (name: string, to: ReferenceTarget) => string;

/**
 * A copy of `options` with every name its declaration's `refs` point at passed through `rename`; the
 * parts the references do not touch are shared, not copied. Values that are not names (missing, not a
 * string) are left as they are: validation reports those.
 *
 * @example renameReferences({ middlewares: ['a'] }, [{ path: ['middlewares', '*'], to: 'middleware' }], q)
 * // { middlewares: ['a@file'] }
 */
export function renameReferences<T>(options: T, refs: readonly Reference[] | undefined, rename: Rename): T {
  let out: unknown = options;
  for (const ref of refs ?? []) out = renameAt(out, ref.path, (name) => rename(name, ref.to));
  return out as T;
}

/** Every name `options` holds at the declaration's references, with what it names. */
export function referencedNames(
  options: unknown,
  refs: readonly Reference[] | undefined,
): { name: string; to: ReferenceTarget }[] {
  const found: { name: string; to: ReferenceTarget }[] = [];
  for (const ref of refs ?? []) {
    renameAt(options, ref.path, (name) => {
      found.push({ name, to: ref.to });
      return name;
    });
  }
  return found;
}

function renameAt(value: unknown, path: readonly string[], rename: (name: string) => string): unknown {
  if (path.length === 0) return typeof value === 'string' ? rename(value) : value;
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '*') {
    if (Array.isArray(value)) return value.map((item) => renameAt(item, rest, rename));
    if (isObject(value)) return mapValues(value, (item) => renameAt(item, rest, rename));
    return value;
  }
  if (!isObject(value) || !(head in value)) return value;
  return { ...value, [head]: renameAt(value[head], rest, rename) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapValues(value: Record<string, unknown>, fn: (v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = fn(v);
  return out;
}
