import { isPlainObject } from '../schema/describe.js';

/** Splits a flat key into segments: `a.b[0].c` → `['a', 'b', '0', 'c']` (Traefik's flag and label syntax). */
export function splitFlatKey(key: string): string[] {
  const segments: string[] = [];
  for (const part of key.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])+)$/.exec(part);
    if (!match) {
      segments.push(part);
      continue;
    }
    if (match[1]) segments.push(match[1]);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) segments.push(index[1]!);
  }
  return segments;
}

/** A value that only switches a section on (`--ping`, `--api=true`, `SWITCHYARD_API=`). */
export function isEnableMarker(value: unknown): boolean {
  return (
    value === true ||
    value === null ||
    value === '' ||
    (typeof value === 'string' && value.toLowerCase() === 'true')
  );
}

/** The key of `tree` equal to `key` ignoring case, if any. */
export function findKey(tree: Record<string, unknown>, key: string): string | undefined {
  if (Object.hasOwn(tree, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(tree).find((k) => k.toLowerCase() === lower);
}

/**
 * Sets `value` at `segments` in a tree built from flat keys, matching existing keys case-insensitively (the
 * first spelling is kept). A key that is both a section switch and a parent (`--ping --ping.entryPoint=x`)
 * becomes the section.
 */
export function setFlat(tree: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  // Assigning through `__proto__` would reach Object.prototype; define it as a plain own key instead.
  if (segments.includes('__proto__')) {
    defineOwn(tree, segments, value);
    return;
  }
  let node = tree;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = findKey(node, segments[i]!) ?? segments[i]!;
    const next = node[key];
    if (!isPlainObject(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = segments.at(-1)!;
  const key = findKey(node, last) ?? last;
  if (isPlainObject(node[key]) && isEnableMarker(value)) return;
  node[key] = value;
}

function defineOwn(tree: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let node = tree;
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    const next = Object.hasOwn(node, segment) ? node[segment] : undefined;
    const child = last ? value : isPlainObject(next) ? next : {};
    Object.defineProperty(node, segment, {
      value: child,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    node = child as Record<string, unknown>;
  }
}
