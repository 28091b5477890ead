import { defineMiddleware } from '../contract.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import { circuitBreakerDeclaration } from './schema.js';

/**
 * `circuitBreaker`: stops sending traffic to a failing service for a while.
 *
 * @example http.middlewares.cb.circuitBreaker.expression: "NetworkErrorRatio() > 0.5 || ResponseCodeRatio(500, 600, 0, 600) > 0.25"
 */
export default defineMiddleware({
  ...circuitBreakerDeclaration,
  create: (options, build) => createCircuitBreaker(options, build),
});
