import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';

/** `chain` options (reference §3.1). */
export const ChainOptions = Type.Object(
  {
    middlewares: StringList({
      default: [],
      description: 'middlewares applied in this order (the first one sees the request first)',
      examples: [['strip', 'auth@file']],
    }),
  },
  { additionalProperties: false },
);
export type ChainOptions = Static<typeof ChainOptions>;
