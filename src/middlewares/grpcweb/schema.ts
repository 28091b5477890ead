import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';

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
