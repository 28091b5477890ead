import { type Static, Type } from '@sinclair/typebox';

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
