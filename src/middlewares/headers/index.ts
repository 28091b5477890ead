import { defineMiddleware } from '../contract.js';
import { createHeaders } from './custom-headers.js';
import { HeadersOptions } from './schema.js';

/**
 * `headers`: custom request and response headers. The schema accepts every Traefik option; only
 * `customRequestHeaders` and `customResponseHeaders` are implemented so far, and setting any other option
 * is a configuration error (CONFIG_INVALID "headers option "x" is not supported yet") until it is.
 *
 * @example http.middlewares.h.headers.customRequestHeaders: { X-Script-Name: test, X-Unwanted: "" }
 */
export default defineMiddleware({
  type: 'headers',
  schema: HeadersOptions,
  create: (options) => createHeaders(options),
});
