import { type Static, Type } from '@sinclair/typebox';
import { SourceCriterionOptions } from '../source-criterion.js';

/** `inFlightReq` options (reference §3.1). */
export const InFlightReqOptions = Type.Object(
  {
    amount: Type.Integer({ default: 0, minimum: 0, description: 'simultaneous requests allowed per source' }),
    sourceCriterion: Type.Optional(SourceCriterionOptions),
  },
  { additionalProperties: false },
);
export type InFlightReqOptions = Static<typeof InFlightReqOptions>;
