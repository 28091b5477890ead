import type * as RedisLib from 'ioredis';
import type { Redis, RedisOptions } from 'ioredis';
import { errorMessage, SwitchyardError } from '../../core/errors.js';
import { lazyModule } from '../../core/lazy-module.js';
import { type ClientTls, readClientTls } from '../kv/client-tls.js';
import type { KvSession, KvStore, KvStoreEvents, KvView, KvWriter } from '../kv/contract.js';

/** The Redis client library, loaded when Redis is first used. */
export const redisLib = lazyModule<typeof RedisLib>('ioredis');

/** How to reach Redis (`providers.redis`). */
export interface RedisStoreOptions {
  endpoints: string[];
  username?: string;
  password?: string;
  db?: number;
  tls?: ClientTls;
  sentinel?: unknown;
}

/** `*`, `?`, `[` and `\` are glob characters in SCAN and PSUBSCRIBE patterns. */
const glob = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** ioredis options for `opts` (also used by the ACME storage in Redis). */
export function redisConnection(opts: RedisStoreOptions): RedisOptions {
  const [host, port] = (opts.endpoints[0] ?? '127.0.0.1:6379').replace(/^redis:\/\//, '').split(':');
  const tls = opts.tls && readClientTls(opts.tls);
  return {
    host,
    port: Number(port ?? 6379),
    username: opts.username,
    password: opts.password,
    db: opts.db ?? 0,
    tls: tls
      ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.insecureSkipVerify }
      : undefined,
    lazyConnect: true,
    // The provider owns reconnection (with backoff, re-reading everything): no client-side retries.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 3000,
  };
}

/**
 * Redis: one string key per configuration key (`traefik/http/routers/r/rule`), as Traefik stores them.
 * Changes arrive as keyspace notifications (enabled with `CONFIG SET notify-keyspace-events` when the
 * server allows it); a view reads with SCAN and MGET, not at one instant (Redis has no revisions).
 */
export class RedisStore implements KvStore {
  readonly name = 'redis';
  readonly address: string;

  constructor(private readonly opts: RedisStoreOptions) {
    if (opts.sentinel) {
      throw new SwitchyardError('CONFIG_INVALID', 'providers.redis.sentinel is not supported yet');
    }
    if (opts.endpoints.length > 1) {
      throw new SwitchyardError('CONFIG_INVALID', 'providers.redis: only one endpoint is supported yet');
    }
    this.address = opts.endpoints.join(',');
  }

  async open(events: KvStoreEvents): Promise<KvSession> {
    const client = new (redisLib().Redis)(redisConnection(this.opts));
    const sub = new (redisLib().Redis)(redisConnection(this.opts));
    const quit = () => {
      client.disconnect();
      sub.disconnect();
    };
    const onLost = (err?: unknown) => events.lost(err ?? new Error('the connection closed'));
    let connected = false;
    for (const c of [client, sub]) {
      c.on('error', (err) => {
        if (connected) onLost(err);
      });
      c.on('close', () => {
        if (connected) onLost();
      });
    }
    try {
      await client.connect();
      await sub.connect();
      await enableNotifications(client);
    } catch (err) {
      quit();
      throw err;
    }
    connected = true;
    const channel = `__keyspace@${this.opts.db ?? 0}__:`;
    sub.on('pmessage', () => events.change());
    let patterns: string[] = [];
    return {
      view: () => redisView(client),
      async watch(keys, dirs) {
        const next = [...keys.map((k) => channel + glob(k)), ...dirs.map((d) => `${channel}${glob(d)}/*`)];
        const gone = patterns.filter((p) => !next.includes(p));
        if (next.length > 0) await sub.psubscribe(...next);
        if (gone.length > 0) await sub.punsubscribe(...gone);
        patterns = next;
      },
      async close() {
        for (const c of [client, sub]) c.removeAllListeners();
        quit();
      },
    };
  }

  writer(): KvWriter {
    const client = new (redisLib().Redis)({
      ...redisConnection(this.opts),
      lazyConnect: false,
      enableOfflineQueue: true,
    });
    client.on('error', () => undefined); // surfaced by the commands that fail
    return {
      async replaceDir(dir, pairs) {
        const old = await scanKeys(client, dir);
        const tx = client.multi();
        if (old.length > 0) tx.del(...old);
        for (const [k, v] of pairs) tx.set(k, v);
        await tx.exec(); // MULTI/EXEC: the directory changes in one step
      },
      put: async (key, value) => {
        await client.set(key, value);
      },
      get: async (key) => (await client.get(key)) ?? undefined,
      close: async () => {
        client.disconnect();
      },
    };
  }
}

/** Adds `K` (keyspace events) and `A` (all commands) to the server's notify-keyspace-events. */
async function enableNotifications(client: Redis): Promise<void> {
  try {
    const current = ((await client.config('GET', 'notify-keyspace-events')) as string[])[1] ?? '';
    if (current.includes('K') && current.includes('A')) return;
    await client.config('SET', 'notify-keyspace-events', `${current.replace(/[KA]/g, '')}KA`);
  } catch (err) {
    throw new SwitchyardError(
      'PROVIDER_READ',
      `cannot enable keyspace notifications (set notify-keyspace-events to KA on the server): ${errorMessage(err)}`,
      { cause: err },
    );
  }
}

async function scanKeys(client: Redis, dir: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${glob(dir)}/*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return [...new Set(keys)];
}

function redisView(client: Redis): KvView {
  return {
    get: async (key) => (await client.get(key)) ?? undefined,
    async list(dir) {
      const keys = await scanKeys(client, dir);
      const out: [string, string][] = [];
      for (let i = 0; i < keys.length; i += 500) {
        const batch = keys.slice(i, i + 500);
        const values = await client.mget(...batch);
        batch.forEach((k, j) => {
          const v = values[j];
          if (typeof v === 'string') out.push([k, v]);
        });
      }
      return out;
    },
  };
}
