import { defineMiddleware } from '../contract.js';
import { createRateLimit } from './rate-limit.js';
import { rateLimitDeclaration } from './schema.js';

/**
 * `rateLimit`: token-bucket rate limiting per source, locally or shared through Redis.
 *
 * @example http.middlewares.rl.rateLimit: { average: 100, period: 1s, burst: 50 }
 */
export default defineMiddleware({
  ...rateLimitDeclaration,
  create: (options, build) => createRateLimit(options, build),
});
