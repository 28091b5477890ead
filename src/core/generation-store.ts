/**
 * State that must outlive a configuration reload (connection pools, health status, sticky tables,
 * rate-limit buckets) lives here, keyed by identity (server URL, middleware name), not inside a
 * generation. Each build `use()`s what it needs, which counts that generation as a user of the entry;
 * once a generation has drained (its last request finished), `release()` drops it, and an entry is
 * disposed when its last user is gone. A draining generation thus keeps its Redis client and pools
 * while a newer one serves.
 *
 * @example
 *   const pool = pools.use(`${transport}|${url}`, gen, () => new Pool(url));
 *   // after the swap, once the previous generation has no request left:
 *   releaseGeneration(gen - 1);
 */
export class GenerationStore<T> {
  private readonly entries = new Map<string, { value: T; users: Set<number> }>();

  constructor(private readonly dispose: (value: T, key: string) => void = () => {}) {
    allStores.add(this as GenerationStore<unknown>);
  }

  use(key: string, generation: number, create: () => T): T {
    const hit = this.entries.get(key);
    if (hit) {
      hit.users.add(generation);
      return hit.value;
    }
    const value = create();
    this.entries.set(key, { value, users: new Set([generation]) });
    return value;
  }

  peek(key: string): T | undefined {
    return this.entries.get(key)?.value;
  }

  /** The generation no longer uses anything: entries it was the last user of are disposed. */
  release(generation: number): void {
    this.dropUsers((g) => g === generation);
  }

  /** Releases every generation older than `oldestLive` (and all of them with `Infinity`). */
  sweep(oldestLive: number): void {
    this.dropUsers((g) => g < oldestLive);
  }

  private dropUsers(gone: (generation: number) => boolean): void {
    for (const [key, entry] of this.entries) {
      for (const g of entry.users) if (gone(g)) entry.users.delete(g);
      if (entry.users.size === 0) {
        this.entries.delete(key);
        this.dispose(entry.value, key);
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }

  values(): IterableIterator<T> {
    return [...this.entries.values()].map((e) => e.value)[Symbol.iterator]();
  }
}

const allStores = new Set<GenerationStore<unknown>>();

/**
 * Releases `generation` in every store of the process: call once it has drained (no request left on
 * it). New kinds of long-lived state need no wiring of their own.
 */
export function releaseGeneration(generation: number): void {
  for (const store of allStores) store.release(generation);
}

/** Releases every generation older than `oldestLive` in every store; `Infinity` at shutdown. */
export function sweepGenerationStores(oldestLive: number): void {
  for (const store of allStores) store.sweep(oldestLive);
}
