import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { StringList } from '../../config/schema/kinds.js';
import type { Declaration } from '../../core/registry.js';

/*
 * Every Traefik v3 `headers` option is accepted and implemented (see custom-headers.ts). Traefik's
 * default for every option is its zero value (unset), hence no `default` below.
 */

const HeaderMap = (description: string) =>
  Type.Optional(Type.Record(Type.String(), Type.String(), { description }));
const Flag = (description: string, extra: Record<string, unknown> = {}) =>
  Type.Optional(Type.Boolean({ description, ...extra }));
const Text = (description: string, extra: Record<string, unknown> = {}) =>
  Type.Optional(Type.String({ description, ...extra }));
const List = (description: string) => Type.Optional(StringList({ description }));
const Seconds = (description: string) => Type.Optional(Type.Integer({ minimum: 0, description }));

const customHeaders = {
  customRequestHeaders: HeaderMap('request headers to set; an empty value removes the header'),
  customResponseHeaders: HeaderMap('response headers to set; an empty value removes the header'),
};

const cors = {
  accessControlAllowCredentials: Flag('send Access-Control-Allow-Credentials: true'),
  accessControlAllowHeaders: List('Access-Control-Allow-Headers of preflight responses'),
  accessControlAllowMethods: List('Access-Control-Allow-Methods of preflight responses'),
  accessControlAllowOriginList: List('allowed origins; "*" allows any'),
  accessControlAllowOriginListRegex: List('allowed origins as regular expressions'),
  accessControlExposeHeaders: List('Access-Control-Expose-Headers'),
  accessControlMaxAge: Seconds('Access-Control-Max-Age of preflight responses, in seconds'),
  addVaryHeader: Flag('append Origin to Vary'),
};

const security = {
  allowedHosts: List('hosts allowed in Host (or in the first of hostsProxyHeaders present)'),
  hostsProxyHeaders: List('headers that may carry the original host'),
  sslProxyHeaders: HeaderMap('header/value pairs meaning the request came over HTTPS'),
  stsSeconds: Seconds('max-age of Strict-Transport-Security; 0 sends none'),
  stsIncludeSubdomains: Flag('add includeSubDomains to Strict-Transport-Security'),
  stsPreload: Flag('add preload to Strict-Transport-Security'),
  forceSTSHeader: Flag('send Strict-Transport-Security on plain HTTP too'),
  frameDeny: Flag('send X-Frame-Options: DENY'),
  customFrameOptionsValue: Text('X-Frame-Options value (overrides frameDeny)'),
  contentTypeNosniff: Flag('send X-Content-Type-Options: nosniff'),
  browserXssFilter: Flag('send X-XSS-Protection: 1; mode=block'),
  customBrowserXSSValue: Text('X-XSS-Protection value (overrides browserXssFilter)'),
  contentSecurityPolicy: Text('Content-Security-Policy value'),
  contentSecurityPolicyReportOnly: Text('Content-Security-Policy-Report-Only value'),
  publicKey: Text('Public-Key-Pins value (HPKP)'),
  referrerPolicy: Text('Referrer-Policy value'),
  permissionsPolicy: Text('Permissions-Policy value'),
  isDevelopment: Flag('relax the allowedHosts, SSL and STS checks for development'),
};

const deprecated = {
  featurePolicy: Text('deprecated: use permissionsPolicy', { deprecated: true }),
  sslRedirect: Flag('deprecated: use an entrypoint redirection or redirectScheme', { deprecated: true }),
  sslTemporaryRedirect: Flag('deprecated: use an entrypoint redirection or redirectScheme', {
    deprecated: true,
  }),
  sslHost: Text('deprecated: use redirectRegex', { deprecated: true }),
  sslForceHost: Flag('deprecated: use redirectRegex', { deprecated: true }),
};

/** `headers` options (reference §3.1 "headers"). */
export const HeadersOptions = Type.Object(
  { ...customHeaders, ...cors, ...security, ...deprecated },
  { additionalProperties: false },
);
export type HeadersOptions = Static<typeof HeadersOptions>;

/** Every option name, in schema order (for messages and tests). */
export const HEADERS_OPTION_NAMES: readonly string[] = Object.keys(
  HeadersOptions.properties as Record<string, TSchema>,
);

/** `headers`: key and schema (what validation needs; the factory is in index.ts). */
export const headersDeclaration = { type: 'headers', schema: HeadersOptions } satisfies Declaration;
