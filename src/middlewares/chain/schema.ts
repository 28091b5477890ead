import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';
import type { Declaration } from '../../core/registry.js';

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

/** `chain`: key and schema (what validation needs; the factory is in index.ts). */
export const chainDeclaration = {
  type: 'chain',
  schema: ChainOptions,
  refs: [{ path: ['middlewares', '*'], to: 'middleware' }],
} satisfies Declaration;
