export { decodeFlatKeys, type FlatKeyOptions } from './decode.js';
export { encodeFlatKeys } from './encode.js';
