/**
 * The few operations the shared ACME storage needs from a key-value store (etcd or Redis). Every instance
 * sees every change through `watch`, and `tryLock` gives one instance at a time a lock that expires by
 * itself when its holder dies (an etcd lease, a Redis key with a time to live).
 */
export interface KvBackend {
  readonly description: string;
  /** Every key under `prefix` with its value. */
  list(prefix: string): Promise<[string, string][]>;
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** The lock `key` for this instance (then `release` it), or undefined when another instance holds it. */
  tryLock(key: string, ttlSeconds: number): Promise<{ release(): Promise<void> } | undefined>;
  /**
   * Calls `onChange(key, value)` (value undefined: deleted) for every change under `prefix`, and
   * `onResync()` when changes may have been missed (reconnection): read everything again then.
   */
  watch(
    prefix: string,
    onChange: (key: string, value: string | undefined) => void,
    onResync: () => void,
  ): Promise<void>;
  close(): Promise<void>;
}
