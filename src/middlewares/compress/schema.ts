import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';
import type { Declaration } from '../../core/registry.js';

/** `compress` options (reference §3.1). */
export const CompressOptions = Type.Object(
  {
    // No schema default: the middleware must tell a list the user gave (an unavailable zstd in it is
    // worth a warning) from the default one (zstd silently left out where Node.js lacks it).
    encodings: Type.Optional(
      StringList({
        description:
          'encodings offered, most preferred first; default gzip, br, zstd (zstd where Node.js has it)',
      }),
    ),
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

/** `compress`: key and schema (what validation needs; the factory is in index.ts). */
export const compressDeclaration = { type: 'compress', schema: CompressOptions } satisfies Declaration;
