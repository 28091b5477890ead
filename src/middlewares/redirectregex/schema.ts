import { type Static, Type } from '@sinclair/typebox';

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
