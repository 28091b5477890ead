import type { Etcd3, Watcher } from 'etcd3';
import { type EtcdStoreOptions, etcdClientOptions, etcdLib } from '../../providers/etcd/etcd-store.js';
import type { KvBackend } from './kv-backend.js';

const text = (b: Buffer | Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : '');

/** The shared ACME storage's operations on etcd (v3 API): leases for locks, a prefix watch. */
export class EtcdAcmeBackend implements KvBackend {
  readonly description: string;
  private readonly client: Etcd3;
  private watcher: Watcher | undefined;

  constructor(opts: EtcdStoreOptions) {
    this.description = `etcd ${opts.endpoints.join(',')}`;
    this.client = new (etcdLib().Etcd3)(etcdClientOptions(opts));
  }

  async list(prefix: string): Promise<[string, string][]> {
    const res = await this.client.getAll().prefix(prefix).exec();
    return res.kvs.map((kv) => [text(kv.key), text(kv.value)]);
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(key).string()) ?? undefined;
  }

  async put(key: string, value: string): Promise<void> {
    await this.client.put(key).value(value).exec();
  }

  async delete(key: string): Promise<void> {
    await this.client.delete().key(key).exec();
  }

  async tryLock(key: string, ttlSeconds: number): Promise<{ release(): Promise<void> } | undefined> {
    const lock = this.client.lock(key).ttl(ttlSeconds);
    try {
      await lock.acquire();
    } catch (err) {
      if (err instanceof etcdLib().EtcdLockFailedError) return undefined;
      throw err;
    }
    return { release: () => lock.release() };
  }

  async watch(
    prefix: string,
    onChange: (key: string, value: string | undefined) => void,
    onResync: () => void,
  ): Promise<void> {
    const watcher = await this.client.watch().prefix(prefix).create();
    let lost = false;
    watcher.on('put', (kv) => onChange(text(kv.key), text(kv.value)));
    watcher.on('delete', (kv) => onChange(text(kv.key), undefined));
    watcher.on('disconnected', () => {
      lost = true;
    });
    watcher.on('connected', () => {
      if (!lost) return;
      lost = false;
      onResync();
    });
    watcher.on('error', () => {
      lost = true;
    });
    this.watcher = watcher;
  }

  async close(): Promise<void> {
    const w = this.watcher;
    this.watcher = undefined;
    if (w) {
      w.removeAllListeners();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        w.cancel().catch(() => undefined),
        new Promise((r) => (timer = setTimeout(r, 1000))),
      ]);
      clearTimeout(timer);
    }
    this.client.close();
  }
}
