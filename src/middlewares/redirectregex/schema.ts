import { type Static, Type } from '@sinclair/typebox';
import type { Declaration } from '../../core/registry.js';

/** `redirectRegex` options (reference §3.1). */
export const RedirectRegexOptions = Type.Object(
  {
    regex: Type.String({ default: '', description: 'matched against scheme://host[:port]/path?query' }),
    replacement: Type.String({
      default: '',
      description: 'target URL; $1 (or the braced form) refers to a group',
    }),
    permanent: Type.Boolean({ default: false, description: '301/308 instead of 302/307' }),
  },
  { additionalProperties: false },
);
export type RedirectRegexOptions = Static<typeof RedirectRegexOptions>;

/** `redirectRegex`: key and schema (what validation needs; the factory is in index.ts). */
export const redirectRegexDeclaration = {
  type: 'redirectRegex',
  schema: RedirectRegexOptions,
} satisfies Declaration;
