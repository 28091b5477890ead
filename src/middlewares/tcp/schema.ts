import { Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';
import type { Declaration } from '../../core/registry.js';

const SourceRange = Type.Object(
  { sourceRange: Type.Optional(StringList()) },
  { additionalProperties: false },
);

/** TCP `ipAllowList`: connections from outside `sourceRange` are closed. */
export const tcpIpAllowListDeclaration = { type: 'ipAllowList', schema: SourceRange } satisfies Declaration;
/** Deprecated TCP `ipWhiteList`, the same as `ipAllowList`. */
export const tcpIpWhiteListDeclaration = { type: 'ipWhiteList', schema: SourceRange } satisfies Declaration;
/** TCP `inFlightConn`: at most `amount` simultaneous connections per client IP. */
export const inFlightConnDeclaration = {
  type: 'inFlightConn',
  schema: Type.Object({ amount: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
} satisfies Declaration;

/** The TCP middleware declarations (reference §2.5): what validation needs. */
export const TCP_MIDDLEWARE_DECLARATIONS: readonly Declaration[] = [
  tcpIpAllowListDeclaration,
  tcpIpWhiteListDeclaration,
  inFlightConnDeclaration,
];
