import { type Static, Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';
import type { Declaration } from '../../core/registry.js';
import { IpStrategyOptions } from '../source-schemas.js';

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

/** `ipAllowList`: key and schema (what validation needs; the factory is in index.ts). */
export const ipAllowListDeclaration = {
  type: 'ipAllowList',
  schema: IpAllowListOptions,
} satisfies Declaration;

/** `ipWhiteList`: key and schema (what validation needs; the factory is in index.ts). */
export const ipWhiteListDeclaration = {
  type: 'ipWhiteList',
  schema: IpWhiteListOptions,
} satisfies Declaration;
