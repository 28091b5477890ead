import { Registry } from '../core/registry.js';
import addPrefix from './addprefix/index.js';
import basicAuth from './basicauth/index.js';
import buffering from './buffering/index.js';
import chain from './chain/index.js';
import circuitBreaker from './circuitbreaker/index.js';
import compress from './compress/index.js';
import contentType from './contenttype/index.js';
import type { MiddlewareDefinition } from './contract.js';
import digestAuth from './digestauth/index.js';
import encodedCharacters from './encodedcharacters/index.js';
import errors from './errors/index.js';
import forwardAuth from './forwardauth/index.js';
import grpcWeb from './grpcweb/index.js';
import headers from './headers/index.js';
import inFlightReq from './inflightreq/index.js';
import ipAllowList from './ipallowlist/index.js';
import ipWhiteList from './ipwhitelist/index.js';
import passTlsClientCert from './passtlsclientcert/index.js';
import rateLimit from './ratelimit/index.js';
import redirectRegex from './redirectregex/index.js';
import redirectScheme from './redirectscheme/index.js';
import replacePath from './replacepath/index.js';
import replacePathRegex from './replacepathregex/index.js';
import retry from './retry/index.js';
import stripPrefix from './stripprefix/index.js';
import stripPrefixRegex from './stripprefixregex/index.js';

/** Every HTTP middleware kind, in one list. Adding a middleware = one import and one entry here. */
export const MIDDLEWARE_DEFINITIONS: readonly MiddlewareDefinition[] = [
  addPrefix,
  basicAuth,
  buffering,
  chain,
  circuitBreaker,
  compress,
  contentType,
  digestAuth,
  encodedCharacters,
  errors,
  forwardAuth,
  grpcWeb,
  headers,
  inFlightReq,
  ipAllowList,
  ipWhiteList,
  passTlsClientCert,
  rateLimit,
  redirectRegex,
  redirectScheme,
  replacePath,
  replacePathRegex,
  retry,
  stripPrefix,
  stripPrefixRegex,
] as readonly MiddlewareDefinition[];

/**
 * A fresh registry of the built-in HTTP middleware definitions, by configuration key (`stripPrefix`),
 * looked up case-insensitively as Traefik's keys are. Plugins register into it at startup
 * (`builtinExtensions()` in src/extensions.ts builds it with the other kinds).
 *
 * @example
 *   const registry = builtinMiddlewares();
 *   registry.get('stripprefix'); // the stripPrefix definition
 *   registry.canonical('STRIPPREFIX') === 'stripPrefix';
 */
export function builtinMiddlewares(): Registry<MiddlewareDefinition> {
  return Registry.of('middleware', MIDDLEWARE_DEFINITIONS);
}
