import { defineMiddleware } from '../contract.js';
import { createInFlightReq } from './in-flight-req.js';
import { inFlightReqDeclaration } from './schema.js';

/**
 * `inFlightReq`: at most `amount` simultaneous requests per source; more get 429.
 *
 * @example http.middlewares.l.inFlightReq: { amount: 10, sourceCriterion: { requestHost: true } }
 */
export default defineMiddleware({
  ...inFlightReqDeclaration,
  create: (options, ctx) => createInFlightReq(options, ctx.name),
});
