import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../config/schema/kinds.js';

// The schemas of `ipStrategy` and `sourceCriterion`, apart from their implementations (ip-strategy.ts,
// source-criterion.ts), so that validating a configuration loads no middleware code.

/** `ipStrategy` options (ipAllowList, rateLimit, inFlightReq). */
export const IpStrategyOptions = Type.Object(
  {
    depth: Type.Optional(
      Type.Integer({ minimum: 0, description: 'take the N-th address from the right of X-Forwarded-For' }),
    ),
    excludedIPs: Type.Optional(
      StringList({ description: 'addresses/ranges skipped from the right of X-Forwarded-For' }),
    ),
    ipv6Subnet: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 128, description: 'group IPv6 sources by this prefix length' }),
    ),
  },
  { additionalProperties: false },
);
export type IpStrategyOptions = Static<typeof IpStrategyOptions>;

/** `sourceCriterion` (rateLimit, inFlightReq): at most one of the three. */
export const SourceCriterionOptions = Type.Object(
  {
    ipStrategy: Type.Optional(IpStrategyOptions),
    requestHeaderName: Type.Optional(Type.String({ description: 'group requests by this header value' })),
    requestHost: Type.Optional(Type.Boolean({ description: 'group requests by host' })),
  },
  { additionalProperties: false },
);
export type SourceCriterionOptions = Static<typeof SourceCriterionOptions>;
