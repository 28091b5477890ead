import { defineMiddleware } from '../contract.js';
import { createChain } from './chain.js';
import { chainDeclaration } from './schema.js';

/**
 * `chain`: a reusable, ordered list of other middlewares (unqualified names resolve in the chain's own
 * provider).
 *
 * @example http.middlewares.secured.chain.middlewares: [https-only, known-ips, auth-users]
 */
export default defineMiddleware({
  ...chainDeclaration,
  create: (options, ctx) => createChain(options, ctx),
});
