import { defineMiddleware } from '../contract.js';
import { createBuffering } from './buffering.js';
import { BufferingOptions } from './schema.js';

/**
 * `buffering`: reads whole requests and responses before passing them on, with size limits.
 *
 * @example http.middlewares.b.buffering: { maxRequestBodyBytes: 2000000, retryExpression: "IsNetworkError() && Attempts() < 2" }
 */
export default defineMiddleware({
  type: 'buffering',
  schema: BufferingOptions,
  create: (options) => createBuffering(options),
});
