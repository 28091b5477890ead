import { defineMiddleware } from '../contract.js';
import { createContentType } from './content-type.js';
import { contentTypeDeclaration } from './schema.js';

/**
 * `contentType`: sets a guessed Content-Type on responses that have none.
 *
 * @example http.middlewares.ct.contentType: {}
 */
export default defineMiddleware({
  ...contentTypeDeclaration,
  create: (options, build) => {
    if (options.autoDetect !== undefined)
      build.logger.warn('contentType option "autoDetect" is deprecated and has no effect');
    return createContentType();
  },
});
