import { ERRORS } from '../../core/errors.js';
import type { HttpContext, HttpHandler } from '../../core/http-context.js';
import { hasRequestBody } from '../body-reader.js';
import type { Middleware } from '../contract.js';
import { Base64Decoder, decodeBase64Body } from './base64.js';
import {
  actualRequestHeaders,
  answerPreflight,
  isGrpcWebPreflight,
  type OriginCheck,
  originCheck,
} from './cors.js';
import { GrpcWebResponse } from './response.js';
import type { GrpcWebOptions } from './schema.js';

const GRPC_WEB = 'application/grpc-web';
const GRPC_WEB_TEXT = 'application/grpc-web-text';

/**
 * gRPC-Web ⇄ gRPC (see docs/grpc.md#grpc-web). A POST whose Content-Type starts with
 * `application/grpc-web` goes on as a gRPC request; the CORS preflight of such a call is answered here.
 * Every other request passes through untouched.
 */
export function createGrpcWeb(options: GrpcWebOptions): Middleware {
  const allowed = originCheck(options.allowOrigins ?? []);
  return (next) => (ctx) => {
    const method = ctx.req.method;
    if (method === 'POST') {
      const type = ctx.req.headers['content-type'];
      if (type?.startsWith(GRPC_WEB)) {
        serveCall(ctx, next, type, allowed);
        return;
      }
    } else if (method === 'OPTIONS' && isGrpcWebPreflight(ctx)) {
      answerPreflight(ctx, allowed);
      return;
    }
    next(ctx);
  };
}

function serveCall(ctx: HttpContext, next: HttpHandler, type: string, allowed: OriginCheck): void {
  const text = type.startsWith(GRPC_WEB_TEXT);
  const headers = ctx.req.headers;
  // `application/grpc-web+proto` → `application/grpc+proto`, and so on.
  headers['content-type'] = `application/grpc${type.slice(text ? GRPC_WEB_TEXT.length : GRPC_WEB.length)}`;
  // gRPC over HTTP/2 asks for it; browsers cannot send it.
  headers.te = 'trailers';
  const response = new GrpcWebResponse(ctx.res, text, actualRequestHeaders(ctx, allowed));
  ctx.res = response.asWriter();
  if (text && !decodeTextBody(ctx, response)) return;
  next(ctx);
}

/** Bodies this middleware decoded from a read-ahead text body (`ctx.replayBody`). */
const DECODED = new WeakSet<Buffer>();

const badBody = (cause: Error) =>
  `${ERRORS.BAD_REQUEST.text}: gRPC-Web text body is not valid base64 (${cause.message})\n`;

/**
 * Text mode: the body is base64. A body a middleware already read is decoded at once; a streamed one is
 * decoded as it arrives, and bad base64 ends the call with 400 (the server's request is cancelled).
 * Returns false when the request was already answered.
 */
function decodeTextBody(ctx: HttpContext, response: GrpcWebResponse): boolean {
  const headers = ctx.req.headers;
  const withBody = hasRequestBody(ctx.req);
  delete headers['content-length'];
  const replay = ctx.replayBody;
  if (replay !== undefined) {
    // A retry outside this middleware sends the same request again: its body is decoded already.
    if (DECODED.has(replay)) return true;
    try {
      ctx.replayBody = decodeBase64Body(replay);
      DECODED.add(ctx.replayBody);
      return true;
    } catch (err) {
      response.answer(ERRORS.BAD_REQUEST.status, badBody(err as Error));
      return false;
    }
  }
  if (!withBody) return true;
  headers['transfer-encoding'] = 'chunked';
  const original = ctx.req;
  const decoder = new Base64Decoder();
  decoder.on('error', (err) => {
    original.unpipe(decoder);
    original.resume();
    response.answer(ERRORS.BAD_REQUEST.status, badBody(err));
  });
  original.pipe(decoder);
  const replaced = Object.assign(decoder, {
    method: original.method,
    url: original.url,
    headers,
    rawHeaders: original.rawHeaders,
    httpVersion: original.httpVersion,
    httpVersionMajor: original.httpVersionMajor,
    httpVersionMinor: original.httpVersionMinor,
    socket: original.socket,
  });
  (ctx as { req: HttpContext['req'] }).req = replaced as unknown as HttpContext['req'];
  return true;
}
