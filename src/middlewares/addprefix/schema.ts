import { type Static, Type } from '@sinclair/typebox';
import type { Declaration } from '../../core/registry.js';

/** `addPrefix` options (reference §3.1). */
export const AddPrefixOptions = Type.Object(
  {
    prefix: Type.String({
      description:
        'text put in front of the request path (a decoded path: `%` is a literal percent); not empty',
      examples: ['/api'],
    }),
  },
  { additionalProperties: false },
);
export type AddPrefixOptions = Static<typeof AddPrefixOptions>;

/** `addPrefix`: key and schema (what validation needs; the factory is in index.ts). */
export const addPrefixDeclaration = { type: 'addPrefix', schema: AddPrefixOptions } satisfies Declaration;
