/**
 * State that must outlive a configuration reload (connection pools, health status, sticky tables,
 * rate-limit buckets) lives here, keyed by identity (server URL, middleware name), not inside a
 * generation. Each build `use()`s what it needs; after the new generation is live, `sweep()` disposes
 * whatever no live generation used.
 *
 * @example
 *   const pool = pools.use(`${transport}|${url}`, gen, () => new Pool(url));
 *   // after the swap:
 *   pools.sweep(gen);
 */
export class GenerationStore<T> {
  private readonly entries = new Map<string, { value: T; generation: number }>();

  constructor(private readonly dispose: (value: T, key: string) => void = () => {}) {
    allStores.add(this as GenerationStore<unknown>);
  }

  use(key: string, generation: number, create: () => T): T {
    const hit = this.entries.get(key);
    if (hit) {
      if (hit.generation < generation) hit.generation = generation;
      return hit.value;
    }
    const value = create();
    this.entries.set(key, { value, generation });
    return value;
  }

  peek(key: string): T | undefined {
    return this.entries.get(key)?.value;
  }

  /** Disposes entries last used by a generation older than `oldestLive`. */
  sweep(oldestLive: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.generation < oldestLive) {
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
 * Sweeps every store in the process: call once after each reload with the oldest generation still
 * serving, and with `Infinity` at shutdown. New kinds of long-lived state need no wiring of their own.
 */
export function sweepGenerationStores(oldestLive: number): void {
  for (const store of allStores) store.sweep(oldestLive);
}
