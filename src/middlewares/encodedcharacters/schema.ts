import { type Static, Type } from '@sinclair/typebox';

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
