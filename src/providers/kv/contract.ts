/** What a key-value provider's store tells its session: something changed, or the connection is gone. */
export interface KvStoreEvents {
  /** A watched key or a key under a watched directory was written or deleted. */
  change(): void;
  /** The connection (or a watch) is lost; the session is closed and opened again with backoff. */
  lost(err: unknown): void;
}

/** Reads that see one state of the store where the store can (etcd: one revision). */
export interface KvView {
  /** The value of one key, or undefined when it does not exist. */
  get(key: string): Promise<string | undefined>;
  /** Every `[key, value]` strictly under the directory `dir` (keys start with `dir/`). */
  list(dir: string): Promise<[string, string][]>;
}

/** One connection to a store, alive until `close` or until it reports `lost`. */
export interface KvSession {
  /** A new consistent view (take a new one for every read of the configuration). */
  view(): KvView;
  /**
   * Replaces the watched set: exactly `keys`, and everything under each directory of `dirs`. Resolves once
   * the watches are in place, so a read made afterwards misses no change.
   */
  watch(keys: string[], dirs: string[]): Promise<void>;
  close(): Promise<void>;
}

/** A key-value store (etcd, Redis, ZooKeeper): the provider name, and how to open a session. */
export interface KvStore {
  /** The provider name (`etcd`): elements are named `name@etcd`. */
  readonly name: string;
  /** Where the store is, for messages (`127.0.0.1:2379`). */
  readonly address: string;
  /** Connects and checks the store answers; rejects when it cannot. */
  open(events: KvStoreEvents): Promise<KvSession>;
  /** A connection for writing (`switchyard kv`, tests). */
  writer(): KvWriter;
}

/** Writes used by `switchyard kv`: a whole directory in as few atomic steps as the store allows. */
export interface KvWriter {
  /** Deletes everything under `dir`, then writes `pairs` (atomically where the store allows). */
  replaceDir(dir: string, pairs: [string, string][]): Promise<void>;
  put(key: string, value: string): Promise<void>;
  get(key: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** `/traefik/dev/v2/` → `/traefik/dev/v2`: directories are named without a trailing slash. */
export function trimDir(dir: string): string {
  let out = dir.trim();
  while (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return out;
}
