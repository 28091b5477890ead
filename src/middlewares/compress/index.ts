import { defineMiddleware } from '../contract.js';
import { createCompress } from './compress.js';
import { compressDeclaration } from './schema.js';

/**
 * `compress`: gzip / brotli (and zstd where Node.js has it) compression of responses, streamed.
 *
 * @example http.middlewares.c.compress: { encodings: [br, gzip], minResponseBodyBytes: 512 }
 */
export default defineMiddleware({
  ...compressDeclaration,
  create: (options, build) => createCompress(options, (msg) => build.logger.warn(msg)),
});
