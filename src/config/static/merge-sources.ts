import { isPlainObject } from '../schema/describe.js';
import type { PathSegment } from '../schema/normalize.js';
import { findKey, isEnableMarker } from './flat-tree.js';
import type { ConfigSource } from './source.js';

const SEP = '\u0001';

/**
 * Deep-merges sources, lowest precedence first (file, env, flags). Keys match case-insensitively and keep
 * the spelling of the source that introduced them; objects merge, anything else (scalars, lists) is
 * replaced by the higher source. A section switch (`--ping`) does not wipe a section configured below it.
 * The merged `locate` asks the source that last wrote a path (or its closest ancestor), then the others.
 */
export function mergeSources(sources: readonly ConfigSource[]): ConfigSource {
  const tree: Record<string, unknown> = {};
  const origin = new Map<string, number>();
  sources.forEach((source, i) => {
    mergeInto(tree, source.tree, [], i, origin);
  });
  const locate = (path: readonly PathSegment[]) => {
    const order: number[] = [];
    for (let length = path.length; length > 0; length--) {
      const hit = origin.get(keyOf(path.slice(0, length)));
      if (hit !== undefined) {
        order.push(hit);
        break;
      }
    }
    for (let i = sources.length - 1; i >= 0; i--) if (!order.includes(i)) order.push(i);
    for (const i of order) {
      const where = sources[i]!.locate(path);
      if (where !== undefined) return where;
    }
    return undefined;
  };
  return { tree, locate, fromStrings: sources.some((s) => s.fromStrings && Object.keys(s.tree).length > 0) };
}

function keyOf(path: readonly PathSegment[]): string {
  return path.map((s) => String(s).toLowerCase()).join(SEP);
}

function mergeInto(
  target: Record<string, unknown>,
  overlay: Record<string, unknown>,
  path: string[],
  layer: number,
  origin: Map<string, number>,
): void {
  for (const [rawKey, value] of Object.entries(overlay)) {
    if (rawKey === '__proto__') {
      // Plain assignment would reach Object.prototype; keep it as an own key for the walker to report.
      Object.defineProperty(target, rawKey, { value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const key = findKey(target, rawKey) ?? rawKey;
    const at = [...path, key];
    const existing = target[key];
    origin.set(keyOf(at), layer);
    if (isPlainObject(value)) {
      // Recursing (rather than copying) records where every nested key came from.
      if (!isPlainObject(existing)) target[key] = {};
      mergeInto(target[key] as Record<string, unknown>, value, at, layer, origin);
    } else if (isPlainObject(existing) && isEnableMarker(value)) {
      // `--api` over a configured `api:` section: already enabled, keep its settings.
    } else {
      target[key] = structuredClone(value);
    }
  }
}
