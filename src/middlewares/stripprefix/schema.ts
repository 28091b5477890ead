import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';
import type { Declaration } from '../../core/registry.js';

/** `stripPrefix` options (reference §3.1). */
export const StripPrefixOptions = Type.Object(
  {
    prefixes: StringList({
      default: [],
      description: 'literal prefixes tried in order; the first one the path starts with is removed',
      examples: [['/api', '/v1']],
    }),
    forceSlash: Type.Optional(
      Type.Boolean({
        deprecated: true,
        description: 'deprecated and without effect: an emptied path is always sent as `/`',
      }),
    ),
  },
  { additionalProperties: false },
);
export type StripPrefixOptions = Static<typeof StripPrefixOptions>;

/** `stripPrefix`: key and schema (what validation needs; the factory is in index.ts). */
export const stripPrefixDeclaration = {
  type: 'stripPrefix',
  schema: StripPrefixOptions,
} satisfies Declaration;
