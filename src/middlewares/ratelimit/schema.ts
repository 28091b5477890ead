import { type Static, Type } from '@sinclair/typebox';
import { Duration, Secret, StringList } from '../../config/schema/kinds.js';
import type { Declaration } from '../../core/registry.js';
import { SourceCriterionOptions } from '../source-schemas.js';

/** `rateLimit.redis`: buckets kept in Redis, shared by every instance using it. */
export const RedisOptions = Type.Object(
  {
    endpoints: StringList({
      default: ['localhost:6379'],
      description: 'host:port of the Redis server(s); the first is used',
    }),
    username: Type.Optional(Type.String()),
    password: Type.Optional(Secret()),
    db: Type.Integer({ default: 0, minimum: 0 }),
    poolSize: Type.Optional(Type.Integer({ minimum: 0 })),
    minIdleConns: Type.Optional(Type.Integer({ minimum: 0 })),
    maxActiveConns: Type.Optional(Type.Integer({ minimum: 0 })),
    readTimeout: Duration({ default: 3000 }),
    writeTimeout: Duration({ default: 3000 }),
    dialTimeout: Duration({ default: 5000 }),
    tls: Type.Optional(
      Type.Object(
        {
          ca: Type.Optional(Type.String()),
          cert: Type.Optional(Type.String()),
          key: Type.Optional(Type.String()),
          insecureSkipVerify: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type RedisOptions = Static<typeof RedisOptions>;

/** `rateLimit` options (reference §3.1). */
export const RateLimitOptions = Type.Object(
  {
    average: Type.Number({
      default: 0,
      minimum: 0,
      description: 'requests allowed per period (0: no limit)',
    }),
    period: Duration({ default: 1000, description: 'the period of average' }),
    burst: Type.Integer({ default: 1, minimum: 1, description: 'requests allowed at once' }),
    sourceCriterion: Type.Optional(SourceCriterionOptions),
    redis: Type.Optional(RedisOptions),
  },
  { additionalProperties: false },
);
export type RateLimitOptions = Static<typeof RateLimitOptions>;

/** `rateLimit`: key and schema (what validation needs; the factory is in index.ts). */
export const rateLimitDeclaration = { type: 'rateLimit', schema: RateLimitOptions } satisfies Declaration;
