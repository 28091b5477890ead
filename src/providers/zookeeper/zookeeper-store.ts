import type { Client, Event } from 'node-zookeeper-client';
import type { KvSession, KvStore, KvStoreEvents, KvView, KvWriter } from '../kv/contract.js';
import { connectZk, PROTOCOL_ERROR, zkCalls, zkLib, znode } from './zk-client.js';

/** How to reach ZooKeeper (`providers.zooKeeper`). */
export interface ZooKeeperStoreOptions {
  endpoints: string[];
  username?: string;
  password?: string;
}

const CONNECT_TIMEOUT_MS = 3000;

/**
 * ZooKeeper: one znode per configuration key (`/traefik/http/routers/r/rule`, data = the value). Watches
 * are ZooKeeper's one-shot watches, set on every node as it is read (data and children), so any write in
 * the tree wakes the provider, which reads (and re-arms) everything again.
 */
export class ZooKeeperStore implements KvStore {
  readonly name = 'zookeeper';
  readonly address: string;

  constructor(private readonly opts: ZooKeeperStoreOptions) {
    this.address = opts.endpoints.join(',');
  }

  private connect(): Promise<Client> {
    const { username, password } = this.opts;
    return connectZk(
      this.address,
      CONNECT_TIMEOUT_MS,
      username ? { username, password: password ?? '' } : undefined,
    );
  }

  async open(events: KvStoreEvents): Promise<KvSession> {
    const client = await this.connect();
    (client as unknown as NodeJS.EventEmitter).on(PROTOCOL_ERROR, (err: Error) => events.lost(err));
    client.on('state', (state) => {
      const { DISCONNECTED, EXPIRED, AUTH_FAILED } = zkLib().State;
      if (state === DISCONNECTED || state === EXPIRED || state === AUTH_FAILED) {
        events.lost(new Error(`ZooKeeper session ${String(state)}`));
      }
    });
    const armed = new Set<string>();
    const arm = (kind: string, path: string) => {
      const id = `${kind}:${path}`;
      if (armed.has(id)) return undefined;
      armed.add(id);
      return (_e: Event) => {
        armed.delete(id);
        events.change();
      };
    };
    return {
      view: () => zkView(client, arm),
      // Watches are set by the reads themselves (a read and its watch are one step in ZooKeeper).
      watch: async () => undefined,
      close: async () => {
        client.removeAllListeners();
        client.close();
      },
    };
  }

  writer(): KvWriter {
    const connecting = this.connect();
    return {
      async replaceDir(dir, pairs) {
        const client = await connecting;
        const zk = zkCalls(client);
        const root = znode(dir);
        await zk.mkdirp(root);
        const existing = new Set(await walk(zk, root));
        const wanted = new Map<string, string>();
        for (const [key, value] of pairs) {
          const path = znode(key);
          const parts = path.split('/');
          for (let i = root.split('/').length + 1; i < parts.length; i++) {
            const parent = parts.slice(0, i).join('/');
            if (!wanted.has(parent)) wanted.set(parent, '');
          }
          wanted.set(path, value);
        }
        // One multi-operation: ZooKeeper applies it all or nothing.
        const tx = client.transaction();
        const gone = [...existing].filter((p) => !wanted.has(p)).sort((a, b) => b.length - a.length);
        for (const p of gone) tx.remove(p, -1);
        for (const [p, v] of [...wanted].sort(([a], [b]) => a.length - b.length)) {
          if (existing.has(p)) tx.setData(p, Buffer.from(v), -1);
          else tx.create(p, Buffer.from(v));
        }
        await new Promise<void>((resolve, reject) => tx.commit((err) => (err ? reject(err) : resolve())));
      },
      async put(key, value) {
        const client = await connecting;
        const path = znode(key);
        await zkCalls(client).mkdirp(path);
        await new Promise<void>((resolve, reject) =>
          client.setData(path, Buffer.from(value), -1, (err) => (err ? reject(err) : resolve())),
        );
      },
      async get(key) {
        return (await zkCalls(await connecting).data(znode(key)))?.toString('utf8');
      },
      close: async () => (await connecting).close(),
    };
  }
}

/** Every node strictly under `root`. */
async function walk(zk: ReturnType<typeof zkCalls>, root: string): Promise<string[]> {
  const out: string[] = [];
  for (const child of (await zk.children(root)) ?? []) {
    const path = `${root === '/' ? '' : root}/${child}`;
    out.push(path, ...(await walk(zk, path)));
  }
  return out;
}

type Arm = (kind: string, path: string) => ((e: Event) => void) | undefined;

function zkView(client: Client, arm: Arm): KvView {
  const zk = zkCalls(client);
  return {
    async get(key) {
      const path = znode(key);
      const data = await zk.data(path, arm('data', path));
      if (data === undefined) await zk.exists(path, arm('exists', path)); // wake when it is created
      return data?.toString('utf8');
    },
    async list(dir) {
      const out: [string, string][] = [];
      const visit = async (path: string, top: boolean): Promise<void> => {
        const children = await zk.children(path, arm('children', path));
        if (children === undefined) {
          if (top) await zk.exists(path, arm('exists', path));
          return;
        }
        if (!top) {
          const data = await zk.data(path, arm('data', path));
          if (data !== undefined && (children.length === 0 || data.length > 0)) {
            out.push([path, data.toString('utf8')]);
          }
        }
        await Promise.all(children.map((c) => visit(`${path === '/' ? '' : path}/${c}`, false)));
      };
      await visit(znode(dir), true);
      return out;
    },
  };
}
