import { startRedis } from '../../../test/helpers/redis.js';
import { kvProviderContract } from '../kv/contract-suite.js';
import { RedisStore } from './redis-store.js';

kvProviderContract('redis', async () => {
  const redis = await startRedis();
  return {
    store: () => new RedisStore({ endpoints: [redis.endpoint] }),
    stop: redis.stop,
    start: redis.start,
    destroy: redis.destroy,
  };
});
