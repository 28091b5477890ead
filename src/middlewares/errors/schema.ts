import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';
import type { Declaration } from '../../core/registry.js';

/** `errors` options (reference §3.1). */
export const ErrorsOptions = Type.Object(
  {
    status: StringList({
      default: [],
      description: 'statuses that get the error page: "500", "500-599", "500,502"',
    }),
    statusRewrites: Type.Optional(
      Type.Record(Type.String(), Type.Integer({ minimum: 100, maximum: 599 }), {
        description: 'status (or range) → status sent',
      }),
    ),
    service: Type.String({ default: '', description: 'service that serves the error pages' }),
    query: Type.Optional(
      Type.String({ description: 'path asked of the service; {status}, {originalStatus}, {url}' }),
    ),
    errorRequestHeaders: Type.Optional(
      StringList({ description: 'request headers sent to the service (unset: all)' }),
    ),
  },
  { additionalProperties: false },
);
export type ErrorsOptions = Static<typeof ErrorsOptions>;

/** `errors`: key and schema (what validation needs; the factory is in index.ts). */
export const errorsDeclaration = {
  type: 'errors',
  schema: ErrorsOptions,
  refs: [{ path: ['service'], to: 'service' }],
} satisfies Declaration;
