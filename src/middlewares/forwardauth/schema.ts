import { type Static, Type } from '@sinclair/typebox';
import { Duration, StringList } from '../../config/schema/kinds.js';
import type { Declaration } from '../../core/registry.js';

/** `forwardAuth` options (reference §3.1), plus Switchyard's opt-in `cache`. */
export const ForwardAuthOptions = Type.Object(
  {
    address: Type.String({ default: '', description: 'URL of the authentication server' }),
    trustForwardHeader: Type.Boolean({
      default: false,
      deprecated: true,
      description: 'trust X-Forwarded-* sent by the client',
    }),
    authResponseHeaders: Type.Optional(
      StringList({ description: 'auth response headers copied onto the request' }),
    ),
    authResponseHeadersRegex: Type.Optional(
      Type.String({ description: 'auth response headers copied onto the request, by regex' }),
    ),
    authRequestHeaders: Type.Optional(
      StringList({ description: 'request headers sent to the auth server (unset: all)' }),
    ),
    addAuthCookiesToResponse: Type.Optional(
      StringList({ description: 'auth response cookies added to the response' }),
    ),
    forwardBody: Type.Boolean({ default: false, description: 'send the request body to the auth server' }),
    maxBodySize: Type.Integer({
      default: -1,
      minimum: -1,
      description: 'largest body forwarded (-1: no limit); over ⇒ 401',
    }),
    maxResponseBodySize: Type.Integer({
      default: -1,
      minimum: -1,
      description: 'largest auth response body read (-1: no limit)',
    }),
    headerField: Type.Optional(Type.String({ description: 'request header set to the authenticated user' })),
    preserveLocationHeader: Type.Boolean({
      default: false,
      description: 'keep a relative Location as it is',
    }),
    preserveRequestMethod: Type.Boolean({
      default: false,
      description: 'ask with the request method (else GET)',
    }),
    authSigninURL: Type.Optional(
      Type.String({ description: 'a 401 from the auth server becomes a 302 here' }),
    ),
    tls: Type.Optional(
      Type.Object(
        {
          ca: Type.Optional(Type.String()),
          cert: Type.Optional(Type.String()),
          key: Type.Optional(Type.String()),
          insecureSkipVerify: Type.Optional(Type.Boolean()),
          caOptional: Type.Optional(Type.Boolean({ deprecated: true })),
        },
        { additionalProperties: false },
      ),
    ),
    cache: Type.Optional(
      Type.Object(
        {
          duration: Duration({ default: 0, description: 'keep 2xx answers this long (0: no cache)' }),
          keyHeaders: StringList({
            default: ['Authorization', 'Cookie'],
            description: 'request headers forming the cache key',
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ForwardAuthOptions = Static<typeof ForwardAuthOptions>;

/** `forwardAuth`: key and schema (what validation needs; the factory is in index.ts). */
export const forwardAuthDeclaration = {
  type: 'forwardAuth',
  schema: ForwardAuthOptions,
} satisfies Declaration;
