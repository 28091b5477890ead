import { GenerationStore } from '../../core/generation-store.js';
import { type HttpContext, sendText } from '../../core/http-context.js';
import { sharedLimits } from '../../core/shared-limits.js';
import type { Middleware, MiddlewareBuildContext } from '../contract.js';
import { sourceExtractor } from '../source-criterion.js';
import { createRedisClient, redisClients, redisTake } from './redis-buckets.js';
import type { RateLimitOptions } from './schema.js';
import { LocalBuckets, maxDelayMs, type Take } from './token-bucket.js';

/** Local buckets by middleware (name and parameters), outliving reloads. */
export const localBuckets = new GenerationStore<LocalBuckets>();

/**
 * Token bucket per source: `average` requests per `period`, `burst` at once. A request that would wait
 * at most maxDelay (half a token interval, 500 ms below 1 request/s) is delayed; a longer wait is refused
 * with 429, `Retry-After` (whole seconds, rounded up) and `X-Retry-In` (the wait). With `redis`, the
 * buckets live in Redis (key `switchyard:rl:<middleware>:<source>`) and are shared by every instance;
 * a Redis failure answers 500.
 */
export function createRateLimit(options: RateLimitOptions, build: MiddlewareBuildContext): Middleware {
  if (options.average === 0) return (next) => next;
  const period = options.period > 0 ? options.period : 1000;
  const rate = options.average / period; // tokens per ms
  const burst = options.burst;
  const delay = maxDelayMs(rate);
  const source = sourceExtractor(options.sourceCriterion, 'rateLimit');
  let take: (key: string) => Take | Promise<Take>;
  const shared = sharedLimits();
  if (options.redis) {
    const redis = options.redis;
    const client = redisClients.use(`${build.name}|${JSON.stringify(redis)}`, build.generation, () =>
      createRedisClient(redis),
    );
    const prefix = `switchyard:rl:${build.name}:`;
    take = (key) => redisTake(client, prefix + key, rate, burst, delay);
  } else if (shared) {
    // A worker process: the primary owns the buckets, so the limit holds for the whole instance.
    const bucket = `${build.name}|${rate}|${burst}`;
    const params = { rate, burst, maxDelay: delay };
    take = (key) => shared.take(bucket, params, key);
  } else {
    const buckets = localBuckets.use(
      `${build.name}|${rate}|${burst}`,
      build.generation,
      () => new LocalBuckets(rate, burst, delay),
    );
    take = (key) => buckets.take(key);
  }
  const decide = (ctx: HttpContext, next: (ctx: HttpContext) => void, t: Take) => {
    if (!t.allowed) {
      const seconds = Math.max(1, Math.ceil(t.waitMs / 1000));
      sendText(ctx, 429, 'Too Many Requests', {
        'retry-after': String(seconds),
        'x-retry-in': `${Math.ceil(t.waitMs)}ms`,
      });
    } else if (t.waitMs > 0) setTimeout(() => next(ctx), t.waitMs);
    else next(ctx);
  };
  return (next) => (ctx) => {
    const result = take(source(ctx));
    if (!(result instanceof Promise)) {
      decide(ctx, next, result);
      return;
    }
    result.then(
      (t) => decide(ctx, next, t),
      (err: unknown) => {
        build.logger.warn('rateLimit: the bucket store failed', { error: (err as Error).message });
        sendText(ctx, 500, 'Internal Server Error');
      },
    );
  };
}
