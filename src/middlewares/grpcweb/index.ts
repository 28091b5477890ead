import { defineMiddleware } from '../contract.js';
import { createGrpcWeb } from './grpcweb.js';
import { grpcWebDeclaration } from './schema.js';

/**
 * `grpcWeb`: turns gRPC-Web requests (browsers) into gRPC over HTTP/2 to the server and the answers back,
 * the gRPC status carried in the body's trailer frame; answers the CORS preflight of gRPC-Web calls.
 *
 * @example http.middlewares.web.grpcWeb: { allowOrigins: ["https://app.example.com"] }
 */
export default defineMiddleware({
  ...grpcWebDeclaration,
  create: (options) => createGrpcWeb(options),
});
