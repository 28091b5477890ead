import { defineMiddleware } from '../contract.js';
import { createRetry } from './retry.js';
import { retryDeclaration } from './schema.js';

/**
 * `retry`: tries the request again when the upstream fails (and, optionally, on listed statuses).
 *
 * @example http.middlewares.r.retry: { attempts: 3, initialInterval: 100ms, status: ["502-504"] }
 */
export default defineMiddleware({
  ...retryDeclaration,
  create: (options) => createRetry(options),
});
