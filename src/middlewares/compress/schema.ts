import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';

/** `compress` options (reference §3.1). */
export const CompressOptions = Type.Object(
  {
    encodings: StringList({
      default: ['gzip', 'br', 'zstd'],
      description: 'encodings offered, most preferred first',
    }),
    defaultEncoding: Type.Optional(
      Type.String({ description: 'encoding used when the request has no Accept-Encoding' }),
    ),
    minResponseBodyBytes: Type.Integer({
      default: 1024,
      minimum: 0,
      description: 'smaller bodies are sent as they are',
    }),
    excludedContentTypes: Type.Optional(StringList({ description: 'media types never compressed' })),
    includedContentTypes: Type.Optional(StringList({ description: 'the only media types compressed' })),
  },
  { additionalProperties: false },
);
export type CompressOptions = Static<typeof CompressOptions>;
