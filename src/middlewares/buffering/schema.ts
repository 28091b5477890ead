import { type Static, Type } from '@sinclair/typebox';
import type { Declaration } from '../../core/registry.js';

const Bytes = (d: number, description: string) => Type.Integer({ default: d, minimum: 0, description });

/** `buffering` options (reference §3.1). */
export const BufferingOptions = Type.Object(
  {
    maxRequestBodyBytes: Bytes(0, 'largest request body (0: no limit); larger ⇒ 413'),
    memRequestBodyBytes: Bytes(1048576, 'request bytes kept in memory before spilling to disk'),
    maxResponseBodyBytes: Bytes(0, 'largest response body (0: no limit); larger ⇒ 500'),
    memResponseBodyBytes: Bytes(1048576, 'response bytes kept in memory before spilling to disk'),
    retryExpression: Type.Optional(Type.String({ description: 'e.g. IsNetworkError() && Attempts() < 2' })),
    disableRequestBuffer: Type.Boolean({ default: false }),
    disableResponseBuffer: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type BufferingOptions = Static<typeof BufferingOptions>;

/** `buffering`: key and schema (what validation needs; the factory is in index.ts). */
export const bufferingDeclaration = { type: 'buffering', schema: BufferingOptions } satisfies Declaration;
