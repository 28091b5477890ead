export { HttpProvider, type HttpProviderOptions } from './http-provider.js';
export { parseConfigBody } from './parse-body.js';
