import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';

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
