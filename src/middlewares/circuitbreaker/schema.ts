import { type Static, Type } from '@sinclair/typebox';
import { Duration } from '../../config/schema/kinds.js';
import type { Declaration } from '../../core/registry.js';

/** `circuitBreaker` options (reference §3.1). */
export const CircuitBreakerOptions = Type.Object(
  {
    expression: Type.String({
      default: '',
      description: 'condition that opens the breaker, e.g. NetworkErrorRatio() > 0.5',
    }),
    checkPeriod: Duration({ default: 100, description: 'how often the expression is evaluated' }),
    fallbackDuration: Duration({ default: 10_000, description: 'how long the breaker stays open' }),
    recoveryDuration: Duration({ default: 10_000, description: 'how long traffic ramps back up' }),
    responseCode: Type.Integer({
      default: 503,
      minimum: 100,
      maximum: 599,
      description: 'status sent while open',
    }),
  },
  { additionalProperties: false },
);
export type CircuitBreakerOptions = Static<typeof CircuitBreakerOptions>;

/** `circuitBreaker`: key and schema (what validation needs; the factory is in index.ts). */
export const circuitBreakerDeclaration = {
  type: 'circuitBreaker',
  schema: CircuitBreakerOptions,
} satisfies Declaration;
