import type { PathSegment } from '../schema/normalize.js';

const SEP = '\u0001';

function keyOf(path: readonly PathSegment[]): string {
  return path.map((s) => String(s).toLowerCase()).join(SEP);
}

/**
 * Remembers where each key of a configuration source was written (a line, a flag, a variable), by
 * case-insensitive path. `find` answers for the exact path, else for something written under it (a
 * missing key's parent set by a flag), else for its nearest ancestor.
 */
export class PathIndex<T> {
  private readonly entries = new Map<string, T>();

  /** Records `value` for `path` (a later value for the same path wins). */
  set(path: readonly PathSegment[], value: T): void {
    this.entries.set(keyOf(path), value);
  }

  /** Records `value` unless the path already has one. */
  setFirst(path: readonly PathSegment[], value: T): void {
    const key = keyOf(path);
    if (!this.entries.has(key)) this.entries.set(key, value);
  }

  /** Where `path` (or the closest thing to it) was written. */
  find(path: readonly PathSegment[]): T | undefined {
    for (let length = path.length; length >= 0; length--) {
      const key = keyOf(path.slice(0, length));
      const exact = this.entries.get(key);
      if (exact !== undefined) return exact;
      if (length > 0 || path.length === 0) {
        const below = this.firstBelow(key);
        if (below !== undefined) return below;
      }
    }
    return undefined;
  }

  private firstBelow(key: string): T | undefined {
    const prefix = key === '' ? '' : key + SEP;
    for (const [k, v] of this.entries) if (k.startsWith(prefix)) return v;
    return undefined;
  }
}
