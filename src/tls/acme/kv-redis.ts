import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type RedisStoreOptions, redisConnection, redisLib } from '../../providers/redis/redis-store.js';
import type { KvBackend } from './kv-backend.js';

/** Deletes the lock only if this instance still holds it (its random value). */
const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
/** Extends the lock only if this instance still holds it. */
const EXTEND =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";

const glob = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/**
 * The shared ACME storage's operations on Redis: one string key per entry; every write is announced on a
 * pub/sub channel (`<prefix>changes`) with its key and value, so every instance applies it at once; a
 * lock is a key set with NX and a time to live, extended while held.
 */
export class RedisAcmeBackend implements KvBackend {
  readonly description: string;
  private readonly client: Redis;
  private sub: Redis | undefined;
  private channel = '';

  constructor(private readonly opts: RedisStoreOptions) {
    this.description = `redis ${opts.endpoints.join(',')}`;
    this.client = new (redisLib().Redis)(this.options());
    this.client.on('error', () => undefined);
  }

  /** Reconnects by itself (with a growing delay); commands fail at once while disconnected. */
  private options() {
    return {
      ...redisConnection(this.opts),
      lazyConnect: false,
      retryStrategy: (attempt: number) => Math.min(200 * attempt, 5000),
      // Commands wait for the connection being made, and fail after one reconnection attempt.
      enableOfflineQueue: true,
      maxRetriesPerRequest: 1,
    };
  }

  async list(prefix: string): Promise<[string, string][]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.client.scan(cursor, 'MATCH', `${glob(prefix)}*`, 'COUNT', 200);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const own = keys.filter((k) => k !== this.channel);
    if (own.length === 0) return [];
    const values = await this.client.mget(own);
    return own.flatMap((k, i) => (values[i] == null ? [] : [[k, values[i]!] as [string, string]]));
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(key)) ?? undefined;
  }

  async put(key: string, value: string): Promise<void> {
    await this.client.set(key, value);
    if (this.channel) await this.client.publish(this.channel, JSON.stringify({ key, value }));
  }

  async delete(key: string): Promise<void> {
    await this.client.del(key);
    if (this.channel) await this.client.publish(this.channel, JSON.stringify({ key }));
  }

  async tryLock(key: string, ttlSeconds: number): Promise<{ release(): Promise<void> } | undefined> {
    const token = randomUUID();
    const ttl = ttlSeconds * 1000;
    if ((await this.client.set(key, token, 'PX', ttl, 'NX')) !== 'OK') return undefined;
    const timer = setInterval(() => {
      this.client.eval(EXTEND, 1, key, token, ttl).catch(() => undefined);
    }, ttl / 3);
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        await this.client.eval(RELEASE, 1, key, token);
      },
    };
  }

  async watch(
    prefix: string,
    onChange: (key: string, value: string | undefined) => void,
    onResync: () => void,
  ): Promise<void> {
    this.channel = `${prefix}changes`;
    this.sub?.disconnect();
    const sub = new (redisLib().Redis)(this.options());
    sub.on('error', () => undefined);
    this.sub = sub;
    let ready = false;
    sub.on('ready', () => {
      // After a reconnection (ioredis subscribes again by itself), messages may have been missed.
      if (ready) onResync();
      ready = true;
    });
    sub.on('message', (_channel: string, message: string) => {
      try {
        const change = JSON.parse(message) as { key?: unknown; value?: unknown };
        if (typeof change.key !== 'string' || !change.key.startsWith(prefix)) return;
        onChange(change.key, typeof change.value === 'string' ? change.value : undefined);
      } catch {
        // not one of ours
      }
    });
    await sub.subscribe(this.channel);
  }

  async close(): Promise<void> {
    this.sub?.disconnect();
    this.client.disconnect();
  }
}
