import type { Declaration } from '../core/registry.js';
import { addPrefixDeclaration } from './addprefix/schema.js';
import { basicAuthDeclaration } from './basicauth/schema.js';
import { bufferingDeclaration } from './buffering/schema.js';
import { chainDeclaration } from './chain/schema.js';
import { circuitBreakerDeclaration } from './circuitbreaker/schema.js';
import { compressDeclaration } from './compress/schema.js';
import { contentTypeDeclaration } from './contenttype/schema.js';
import { digestAuthDeclaration } from './digestauth/schema.js';
import { encodedCharactersDeclaration } from './encodedcharacters/schema.js';
import { errorsDeclaration } from './errors/schema.js';
import { forwardAuthDeclaration } from './forwardauth/schema.js';
import { grpcWebDeclaration } from './grpcweb/schema.js';
import { headersDeclaration } from './headers/schema.js';
import { inFlightReqDeclaration } from './inflightreq/schema.js';
import { ipAllowListDeclaration, ipWhiteListDeclaration } from './ipallowlist/schema.js';
import { passTLSClientCertDeclaration } from './passtlsclientcert/schema.js';
import { rateLimitDeclaration } from './ratelimit/schema.js';
import { redirectRegexDeclaration } from './redirectregex/schema.js';
import { redirectSchemeDeclaration } from './redirectscheme/schema.js';
import { replacePathDeclaration } from './replacepath/schema.js';
import { replacePathRegexDeclaration } from './replacepathregex/schema.js';
import { retryDeclaration } from './retry/schema.js';
import { stripPrefixDeclaration } from './stripprefix/schema.js';
import { stripPrefixRegexDeclaration } from './stripprefixregex/schema.js';

/**
 * The built-in HTTP middlewares' declarations (key, schema, references) without their implementations:
 * what the validator and the JSON Schemas need. src/middlewares/registry.ts lists the definitions.
 */
export const MIDDLEWARE_DECLARATIONS: readonly Declaration[] = [
  addPrefixDeclaration,
  basicAuthDeclaration,
  bufferingDeclaration,
  chainDeclaration,
  circuitBreakerDeclaration,
  compressDeclaration,
  contentTypeDeclaration,
  digestAuthDeclaration,
  encodedCharactersDeclaration,
  errorsDeclaration,
  forwardAuthDeclaration,
  grpcWebDeclaration,
  headersDeclaration,
  inFlightReqDeclaration,
  ipAllowListDeclaration,
  ipWhiteListDeclaration,
  passTLSClientCertDeclaration,
  rateLimitDeclaration,
  redirectRegexDeclaration,
  redirectSchemeDeclaration,
  replacePathDeclaration,
  replacePathRegexDeclaration,
  retryDeclaration,
  stripPrefixDeclaration,
  stripPrefixRegexDeclaration,
];
