import { defineMiddleware } from '../contract.js';
import { createBuffering } from './buffering.js';
import { bufferingDeclaration } from './schema.js';

/**
 * `buffering`: reads whole requests and responses before passing them on, with size limits.
 *
 * @example http.middlewares.b.buffering: { maxRequestBodyBytes: 2000000, retryExpression: "IsNetworkError() && Attempts() < 2" }
 */
export default defineMiddleware({
  ...bufferingDeclaration,
  create: (options) => createBuffering(options),
});
