import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';
import type { Declaration } from '../../core/registry.js';

/** `stripPrefixRegex` options (reference §3.1). */
export const StripPrefixRegexOptions = Type.Object(
  {
    regex: StringList({
      default: [],
      description:
        'regular expressions tried in order; the first that matches at the start of the path is removed',
      examples: [['/api/v\\d+']],
    }),
  },
  { additionalProperties: false },
);
export type StripPrefixRegexOptions = Static<typeof StripPrefixRegexOptions>;

/** `stripPrefixRegex`: key and schema (what validation needs; the factory is in index.ts). */
export const stripPrefixRegexDeclaration = {
  type: 'stripPrefixRegex',
  schema: StripPrefixRegexOptions,
} satisfies Declaration;
