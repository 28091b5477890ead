import { type Static, Type } from '@sinclair/typebox';
import type { Declaration } from '../../core/registry.js';

/** `replacePathRegex` options (reference §3.1). */
export const ReplacePathRegexOptions = Type.Object(
  {
    regex: Type.String({
      default: '',
      description: 'regular expression matched against the raw (escaped) path',
    }),
    replacement: Type.String({
      default: '',
      description: 'replacement; $1 (or the braced form) refers to a group',
    }),
  },
  { additionalProperties: false },
);
export type ReplacePathRegexOptions = Static<typeof ReplacePathRegexOptions>;

/** `replacePathRegex`: key and schema (what validation needs; the factory is in index.ts). */
export const replacePathRegexDeclaration = {
  type: 'replacePathRegex',
  schema: ReplacePathRegexOptions,
} satisfies Declaration;
