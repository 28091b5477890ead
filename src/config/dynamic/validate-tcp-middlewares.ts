import { type TSchema, Type } from '@sinclair/typebox';
import { StringList } from '../schema/kinds.js';
import type { MiddlewareLookup } from './validate-element.js';

const SourceRange = Type.Object(
  { sourceRange: Type.Optional(StringList()) },
  { additionalProperties: false },
);

/**
 * The TCP middleware types (reference §2.5), for validating `tcp.middlewares` until TCP middlewares have
 * their own registry in src/middlewares/tcp/: then pass that registry as `tcpMiddlewares` instead.
 */
const TCP_SCHEMAS: Record<string, TSchema> = {
  inFlightConn: Type.Object({ amount: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
  ipAllowList: SourceRange,
  ipWhiteList: SourceRange,
};

/** A lookup over the TCP middleware types, case-insensitive like the registry. */
export const tcpMiddlewareTypes: MiddlewareLookup = {
  get: (key) => {
    const canonical = tcpMiddlewareTypes.canonical(key);
    return canonical === undefined ? undefined : { schema: TCP_SCHEMAS[canonical]! };
  },
  canonical: (key) => Object.keys(TCP_SCHEMAS).find((k) => k.toLowerCase() === key.toLowerCase()),
  keys: () => Object.keys(TCP_SCHEMAS),
};
