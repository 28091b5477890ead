import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { GenerationStore } from '../../core/generation-store.js';
import { redisLib } from '../../providers/redis/redis-store.js';
import type { RedisOptions } from './schema.js';
import type { Take } from './token-bucket.js';

/** Redis clients by middleware, outliving reloads; swept clients disconnect. */
export const redisClients = new GenerationStore<Redis>((client) => client.disconnect());

/*
 * One token bucket as a Redis hash, updated atomically with the server's clock so that every instance
 * shares one budget. ARGV: rate (tokens/ms), burst, max delay (ms). Returns {allowed, wait in µs}.
 */
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local rate, burst, maxDelay = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(v[1]) or burst, tonumber(v[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate)
local allowed, wait = 1, 0
if tokens >= 1 then tokens = tokens - 1
else
  wait = (1 - tokens) / rate
  if wait <= maxDelay then tokens = tokens - 1 else allowed = 0 end
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return {allowed, math.floor(wait * 1000)}
`;

function pem(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
}

/** Creates the client for `options` (lazy connect; commands fail fast while Redis is down). */
export function createRedisClient(options: RedisOptions): Redis {
  const [host, port] = (options.endpoints[0] ?? 'localhost:6379').split(':');
  const tls = options.tls
    ? {
        ca: pem(options.tls.ca),
        cert: pem(options.tls.cert),
        key: pem(options.tls.key),
        rejectUnauthorized: options.tls.insecureSkipVerify !== true,
      }
    : undefined;
  const client = new (redisLib().Redis)({
    host,
    port: Number(port ?? 6379),
    username: options.username,
    password: options.password,
    db: options.db,
    connectTimeout: options.dialTimeout,
    commandTimeout: Math.max(options.readTimeout, options.writeTimeout) || undefined,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    tls,
  });
  client.on('error', () => {}); // reported per request (500), not as a crash
  client.defineCommand('switchyardTake', { numberOfKeys: 1, lua: SCRIPT });
  return client;
}

export async function redisTake(
  client: Redis,
  key: string,
  rate: number,
  burst: number,
  maxDelay: number,
): Promise<Take> {
  const run = (
    client as unknown as { switchyardTake(...args: (string | number)[]): Promise<[number, number]> }
  ).switchyardTake;
  const [allowed, waitUs] = await run.call(client, key, rate, burst, maxDelay);
  return { allowed: allowed === 1, waitMs: waitUs / 1000 };
}
