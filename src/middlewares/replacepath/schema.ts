import { type Static, Type } from '@sinclair/typebox';
import type { Declaration } from '../../core/registry.js';

/** `replacePath` options (reference §3.1). */
export const ReplacePathOptions = Type.Object(
  {
    path: Type.String({
      description: 'the new request path, in encoded form (`%2F` stays an encoded slash); the query is kept',
      examples: ['/foo'],
    }),
  },
  { additionalProperties: false },
);
export type ReplacePathOptions = Static<typeof ReplacePathOptions>;

/** `replacePath`: key and schema (what validation needs; the factory is in index.ts). */
export const replacePathDeclaration = {
  type: 'replacePath',
  schema: ReplacePathOptions,
} satisfies Declaration;
