import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';
import { IpStrategyOptions } from '../ip-strategy.js';

const common = {
  sourceRange: StringList({ default: [], description: 'allowed addresses and CIDR ranges (IPv4 or IPv6)' }),
  ipStrategy: Type.Optional(IpStrategyOptions),
};

/** `ipAllowList` options (reference §3.1). */
export const IpAllowListOptions = Type.Object(
  {
    ...common,
    rejectStatusCode: Type.Integer({
      default: 403,
      minimum: 0,
      maximum: 599,
      description: 'status for refused requests',
    }),
  },
  { additionalProperties: false },
);
export type IpAllowListOptions = Static<typeof IpAllowListOptions>;

/** Deprecated `ipWhiteList`: the same without rejectStatusCode. */
export const IpWhiteListOptions = Type.Object(common, { additionalProperties: false });
export type IpWhiteListOptions = Static<typeof IpWhiteListOptions>;
