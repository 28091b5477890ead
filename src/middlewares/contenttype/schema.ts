import { type Static, Type } from '@sinclair/typebox';
import type { Declaration } from '../../core/registry.js';

/** `contentType` options (reference §3.1): none besides the deprecated `autoDetect`. */
export const ContentTypeOptions = Type.Object(
  {
    autoDetect: Type.Optional(
      Type.Boolean({ deprecated: true, description: 'deprecated and without effect' }),
    ),
  },
  { additionalProperties: false },
);
export type ContentTypeOptions = Static<typeof ContentTypeOptions>;

/** `contentType`: key and schema (what validation needs; the factory is in index.ts). */
export const contentTypeDeclaration = {
  type: 'contentType',
  schema: ContentTypeOptions,
} satisfies Declaration;
