import { defineMiddleware } from '../contract.js';
import { createHeaders } from './custom-headers.js';
import { headersDeclaration } from './schema.js';

/**
 * `headers`: custom request and response headers, CORS (with preflight), allowed hosts, SSL proxy
 * headers, STS and the security headers (frame options, nosniff, XSS, CSP, referrer, permissions policy).
 *
 * @example http.middlewares.h.headers.customRequestHeaders: { X-Script-Name: test, X-Unwanted: "" }
 */
export default defineMiddleware({
  ...headersDeclaration,
  create: (options) => createHeaders(options),
});
