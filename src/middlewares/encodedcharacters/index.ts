import { defineMiddleware } from '../contract.js';
import { createEncodedCharacters } from './encoded-characters.js';
import { encodedCharactersDeclaration } from './schema.js';

/**
 * `encodedCharacters`: refuses (400) paths with encoded characters that are not allowed.
 *
 * @example http.middlewares.e.encodedCharacters.allowEncodedSlash: true
 */
export default defineMiddleware({
  ...encodedCharactersDeclaration,
  create: (options) => createEncodedCharacters(options),
});
