import type * as EtcdLib from 'etcd3';
import type { Etcd3, IOptions, Watcher } from 'etcd3';
import { lazyModule } from '../../core/lazy-module.js';
import { type ClientTls, readClientTls } from '../kv/client-tls.js';
import type { KvSession, KvStore, KvStoreEvents, KvView, KvWriter } from '../kv/contract.js';

/** The etcd client library, loaded when an etcd store is first used. */
export const etcdLib = lazyModule<typeof EtcdLib>('etcd3');

/** How to reach etcd (`providers.etcd`). */
export interface EtcdStoreOptions {
  endpoints: string[];
  username?: string;
  password?: string;
  tls?: ClientTls;
}

/** Unary calls give up after this long, so an unreachable etcd is noticed instead of waited for. */
const CALL_TIMEOUT_MS = 3000;
/** etcd refuses transactions with more operations than `--max-txn-ops` (128 by default). */
const TXN_OPS = 100;

/** etcd3 client options for `opts` (also used by the ACME storage in etcd). */
export function etcdClientOptions(opts: EtcdStoreOptions): IOptions {
  const tls = opts.tls && readClientTls(opts.tls);
  const scheme = tls ? 'https' : 'http';
  return {
    hosts: opts.endpoints.map((e) => (e.includes('://') ? e : `${scheme}://${e}`)),
    auth: opts.username ? { username: opts.username, password: opts.password ?? '' } : undefined,
    credentials: tls
      ? {
          // No CA: grpc uses the system's roots.
          rootCertificate: tls.ca as Buffer,
          certChain: tls.cert,
          privateKey: tls.key,
        }
      : undefined,
    dialTimeout: CALL_TIMEOUT_MS,
    // A frozen etcd (stopped process, dead host behind a live route) keeps the TCP connection open and
    // answers nothing: without pings a watch would wait on it forever. A ping unanswered for 5 s closes
    // the channel, the watch reports it, and the provider says the store is unreachable. (etcd accepts
    // pings every 5 s or slower by default: `--grpc-keepalive-min-time`.)
    grpcOptions: {
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
      'grpc.keepalive_permit_without_calls': 1,
    },
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: new Date(Date.now() + CALL_TIMEOUT_MS) }),
  };
}

const text = (b: Buffer | Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : '');

/**
 * etcd through its v3 API. A view reads at one revision (the first read fixes it), so the alias and the
 * directory it names are read as one state. Watches are etcd watches; a dropped watch stream counts as
 * a lost session, so after an outage or a compaction the provider reads everything again.
 */
export class EtcdStore implements KvStore {
  readonly name = 'etcd';
  readonly address: string;

  constructor(private readonly opts: EtcdStoreOptions) {
    this.address = opts.endpoints.join(',');
  }

  async open(events: KvStoreEvents): Promise<KvSession> {
    const client = new (etcdLib().Etcd3)(etcdClientOptions(this.opts));
    try {
      await client.get('\0switchyard-probe').exec();
    } catch (err) {
      client.close();
      throw err;
    }
    let watchers: Watcher[] = [];
    const lose = (err: unknown) => events.lost(err ?? new Error('the watch stream ended'));
    return {
      view: () => etcdView(client),
      async watch(keys, dirs) {
        const next: Watcher[] = [];
        try {
          for (const key of keys) next.push(await created(client.watch().key(key).create()));
          for (const dir of dirs) next.push(await created(client.watch().prefix(`${dir}/`).create()));
        } catch (err) {
          await Promise.all(next.map((w) => w.cancel().catch(() => undefined)));
          throw err;
        }
        for (const w of next) {
          w.on('put', () => events.change());
          w.on('delete', () => events.change());
          w.on('disconnected', lose);
          w.on('error', lose);
        }
        const old = watchers;
        watchers = next;
        for (const w of old) {
          w.removeAllListeners();
          void w.cancel().catch(() => undefined);
        }
      },
      async close() {
        // Every watch must be cancelled, or the client's watch manager keeps reconnecting forever. A
        // cancel waits for etcd's answer, which never comes during an outage: wait a little, then close.
        const all = watchers;
        watchers = [];
        for (const w of all) w.removeAllListeners();
        const cancelled = Promise.all(all.map((w) => w.cancel().catch(() => undefined)));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([cancelled, new Promise((r) => (timer = setTimeout(r, 1000)))]);
        clearTimeout(timer);
        client.close();
      },
    };
  }

  /** A writer for `switchyard kv`. */
  writer(): KvWriter {
    const client = new (etcdLib().Etcd3)(etcdClientOptions(this.opts));
    return {
      async replaceDir(dir, pairs) {
        // One transaction when it fits: the directory changes from old to new in one revision. etcd
        // refuses a delete and a put of the same key in one transaction: delete only what goes away.
        const keep = new Set(pairs.map(([k]) => k));
        const existing = await client.getAll().prefix(`${dir}/`).keys();
        const ops = existing.filter((k) => !keep.has(k)).map((k) => client.delete().key(k).op());
        for (const [k, v] of pairs) ops.push(client.put(k).value(v).op());
        for (let i = 0; i < ops.length; i += TXN_OPS) {
          await client.kv.txn({ success: await Promise.all(ops.slice(i, i + TXN_OPS)) });
        }
      },
      put: async (key, value) => {
        await client.put(key).value(value).exec();
      },
      get: async (key) => (await client.get(key).string()) ?? undefined,
      close: async () => client.close(),
    };
  }
}

/** A watch that etcd does not confirm in time fails the session (it is opened again with backoff). */
async function created(watch: Promise<Watcher>): Promise<Watcher> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('etcd did not confirm a watch in time')), CALL_TIMEOUT_MS);
  });
  try {
    return await Promise.race([watch, late]);
  } catch (err) {
    // If it is confirmed after all, nobody holds it: cancel it then.
    void watch.then((w) => w.cancel()).catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

function etcdView(client: Etcd3): KvView {
  let revision: string | undefined;
  const at = <T extends { revision(r: string): T }>(b: T) => (revision ? b.revision(revision) : b);
  const fix = (header: { revision: string } | undefined | null) => {
    revision ??= header?.revision;
  };
  return {
    async get(key) {
      const res = await at(client.get(key)).exec();
      fix(res.header);
      return res.kvs[0] ? text(res.kvs[0].value) : undefined;
    },
    async list(dir) {
      const res = await at(client.getAll().prefix(`${dir}/`)).exec();
      fix(res.header);
      return res.kvs.map((kv) => [text(kv.key), text(kv.value)] as [string, string]);
    },
  };
}
