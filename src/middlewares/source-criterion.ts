import { type Static, Type } from '@sinclair/typebox';
import { SwitchyardError } from '../core/errors.js';
import type { HttpContext } from '../core/http-context.js';
import { IpStrategyOptions, ipSelector } from './ip-strategy.js';

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

/** Returns the key grouping a request ('' = no source, which Traefik treats as an error). */
export type SourceExtractor = (ctx: HttpContext) => string;

/** Prepares a source criterion; the default is the peer address. */
export function sourceExtractor(options: SourceCriterionOptions | undefined, owner: string): SourceExtractor {
  const set = [
    options?.ipStrategy !== undefined,
    !!options?.requestHeaderName,
    options?.requestHost === true,
  ].filter(Boolean).length;
  if (set > 1) {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `${owner}: sourceCriterion takes only one of ipStrategy, requestHeaderName, requestHost`,
    );
  }
  if (options?.requestHeaderName) {
    const name = options.requestHeaderName.toLowerCase();
    return (ctx) => {
      const v = ctx.req.headers[name];
      return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
    };
  }
  if (options?.requestHost) return (ctx) => ctx.host;
  return ipSelector(options?.ipStrategy, owner);
}
