import http2, { type Http2ServerRequest } from 'node:http2';
import type { H2ResponseWriter } from './h2-adapter.js';

const { NGHTTP2_NO_ERROR, NGHTTP2_CANCEL } = http2.constants;

/**
 * `respondingTimeouts.readTimeout` on one HTTP/2 stream, as Go applies it: the request body must have
 * arrived within `ms` of the request's headers. Past it, a request not answered yet gets `408 Request
 * Timeout` and its stream is then closed (RST_STREAM NO_ERROR, RFC 9113 §8.1: the server needs no more
 * of the body); an answer already under way is cut (RST_STREAM CANCEL). Either way the upstream request
 * is cancelled, and the connection's other streams go on.
 */
export function boundRequestBody(req: Http2ServerRequest, writer: H2ResponseWriter, ms: number): void {
  const stream = req.stream;
  if (ms <= 0 || stream.endAfterHeaders) return;
  const timer = setTimeout(() => {
    if (stream.destroyed || stream.closed) return;
    // The request is destroyed, not ended: node would otherwise end it when the stream closes, and the
    // proxy would hand the server a truncated body as if it were whole.
    if (writer.headersSent) {
      stream.close(NGHTTP2_CANCEL);
      req.destroy();
      return;
    }
    writer.writeHead(408, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 15 });
    writer.end('Request Timeout', () => {
      if (!stream.closed) stream.close(NGHTTP2_NO_ERROR);
      req.destroy();
    });
  }, ms);
  timer.unref();
  const done = (): void => clearTimeout(timer);
  stream.once('end', done);
  stream.once('close', done);
}
