import { type Static, Type } from '@sinclair/typebox';
import { Duration, StringList } from '../../config/schema/kinds.js';
import type { Declaration } from '../../core/registry.js';

/** `retry` options (reference §3.1). */
export const RetryOptions = Type.Object(
  {
    attempts: Type.Integer({
      default: 0,
      minimum: 0,
      description: 'tries in all, the first included (required, ≥ 1)',
    }),
    initialInterval: Duration({
      default: 0,
      description: 'first wait between tries; doubles, at most 2× this',
    }),
    timeout: Duration({
      default: 0,
      description: 'no new try after this much time since the first (0: no limit)',
    }),
    maxRequestBodyBytes: Type.Integer({
      default: 2 * 1024 * 1024,
      minimum: -1,
      description: 'largest body kept for replay (-1: no limit)',
    }),
    status: Type.Optional(StringList({ description: 'response statuses that are retried, e.g. "500-599"' })),
    disableRetryOnNetworkError: Type.Boolean({
      default: false,
      description: 'retry only on status (needs status)',
    }),
    retryNonIdempotentMethod: Type.Boolean({ default: false, description: 'retry POST, PATCH… too' }),
  },
  { additionalProperties: false },
);
export type RetryOptions = Static<typeof RetryOptions>;

/** `retry`: key and schema (what validation needs; the factory is in index.ts). */
export const retryDeclaration = { type: 'retry', schema: RetryOptions } satisfies Declaration;
