import { type Static, Type } from '@sinclair/typebox';
import type { Declaration } from '../../core/registry.js';

const Allow = (what: string) => Type.Boolean({ default: false, description: `accept ${what} in the path` });

/** `encodedCharacters` options (reference §3.1). */
export const EncodedCharactersOptions = Type.Object(
  {
    allowEncodedSlash: Allow('%2F'),
    allowEncodedBackSlash: Allow('%5C'),
    allowEncodedNullCharacter: Allow('%00'),
    allowEncodedSemicolon: Allow('%3B'),
    allowEncodedPercent: Allow('%25'),
    allowEncodedQuestionMark: Allow('%3F'),
    allowEncodedHash: Allow('%23'),
  },
  { additionalProperties: false },
);
export type EncodedCharactersOptions = Static<typeof EncodedCharactersOptions>;

/** `encodedCharacters`: key and schema (what validation needs; the factory is in index.ts). */
export const encodedCharactersDeclaration = {
  type: 'encodedCharacters',
  schema: EncodedCharactersOptions,
} satisfies Declaration;
