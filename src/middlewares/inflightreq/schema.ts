import { type Static, Type } from '@sinclair/typebox';
import type { Declaration } from '../../core/registry.js';
import { SourceCriterionOptions } from '../source-schemas.js';

/** `inFlightReq` options (reference §3.1). */
export const InFlightReqOptions = Type.Object(
  {
    amount: Type.Integer({ default: 0, minimum: 0, description: 'simultaneous requests allowed per source' }),
    sourceCriterion: Type.Optional(SourceCriterionOptions),
  },
  { additionalProperties: false },
);
export type InFlightReqOptions = Static<typeof InFlightReqOptions>;

/** `inFlightReq`: key and schema (what validation needs; the factory is in index.ts). */
export const inFlightReqDeclaration = {
  type: 'inFlightReq',
  schema: InFlightReqOptions,
} satisfies Declaration;
