import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';
import type { Declaration } from '../../core/registry.js';

/** `grpcWeb` options (Traefik's `GrpcWeb`). */
export const GrpcWebOptions = Type.Object(
  {
    allowOrigins: Type.Optional(
      StringList({
        description:
          'origins allowed to call cross-origin (CORS); "*" allows any. Empty: no cross-origin access, same-origin and non-browser clients still work',
      }),
    ),
  },
  { additionalProperties: false },
);
export type GrpcWebOptions = Static<typeof GrpcWebOptions>;

/** `grpcWeb`: key and schema (what validation needs; the factory is in index.ts). */
export const grpcWebDeclaration = { type: 'grpcWeb', schema: GrpcWebOptions } satisfies Declaration;
