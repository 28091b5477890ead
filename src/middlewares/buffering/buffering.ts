import { ERRORS } from '../../core/errors.js';
import { bodyCut, type HttpContext, type HttpHandler, sendText } from '../../core/http-context.js';
import { hasRequestBody } from '../body-reader.js';
import type { Middleware } from '../contract.js';
import { compileExpression, type ExprFunction } from '../expression.js';
import { BufferedResponse } from './buffered-response.js';
import type { BufferingOptions } from './schema.js';
import { Spool } from './spool.js';

interface RetryEnv {
  attempts: number;
  status: number;
  networkError: boolean;
}

const FUNCTIONS: Record<string, ExprFunction> = {
  Attempts: { args: 0, call: (e: RetryEnv) => e.attempts },
  ResponseCode: { args: 0, call: (e: RetryEnv) => e.status },
  IsNetworkError: { args: 0, call: (e: RetryEnv) => e.networkError },
};

/**
 * Reads the whole request before forwarding it (memory up to memRequestBodyBytes, then a temporary file;
 * over maxRequestBodyBytes: 413) and the whole response before sending it (over maxResponseBodyBytes:
 * 500), so the response goes out with a Content-Length. `retryExpression`, evaluated on each complete
 * response, sends the request again while it is true.
 */
export function createBuffering(options: BufferingOptions): Middleware {
  const retry = options.retryExpression
    ? compileExpression<RetryEnv>(options.retryExpression, FUNCTIONS, 'buffering')
    : undefined;
  return (next) => (ctx) => {
    if (options.disableRequestBuffer || !hasRequestBody(ctx.req) || ctx.upgrade !== undefined) {
      respond(ctx, next, retry !== undefined && !hasRequestBody(ctx.req));
      return;
    }
    const max = options.maxRequestBodyBytes;
    if (max > 0 && Number(ctx.req.headers['content-length']) > max) {
      sendText(ctx, 413, 'Request Entity Too Large');
      return;
    }
    const spool = new Spool(options.memRequestBodyBytes);
    let failed = false;
    ctx.req.on('data', (chunk: Buffer) => {
      if (failed) return;
      if (max > 0 && spool.size + chunk.length > max) {
        failed = true;
        spool.discard();
        sendText(ctx, 413, 'Request Entity Too Large');
        return;
      }
      spool.add(chunk);
    });
    ctx.req.once('end', () => {
      // A body cut short is not buffered as a whole one: the client is gone, nothing goes upstream.
      if (failed) return;
      if (bodyCut(ctx.req)) {
        spool.discard();
        ctx.abortedStatus = ERRORS.CLIENT_CLOSED.status;
        return;
      }
      spool.toBuffer().then(
        (body) => {
          ctx.replayBody = body;
          ctx.req.headers['content-length'] = String(body.length);
          delete ctx.req.headers['transfer-encoding'];
          respond(ctx, next, true);
        },
        () => sendText(ctx, 500, 'Internal Server Error'),
      );
    });
  };

  function respond(ctx: HttpContext, next: HttpHandler, replayable: boolean): void {
    if (options.disableResponseBuffer && !retry) {
      next(ctx);
      return;
    }
    const inner = ctx.res;
    let attempts = 0;
    const attempt = () => {
      attempts++;
      ctx.upstreamError = undefined;
      ctx.res = new BufferedResponse(
        inner,
        options.memResponseBodyBytes,
        options.maxResponseBodyBytes,
        (res, over) => {
          const env = {
            attempts,
            status: res.head?.status ?? 0,
            networkError: ctx.upstreamError !== undefined,
          };
          if (replayable && retry?.(env) && !ctx.rawRes.destroyed) {
            res.discard();
            setImmediate(attempt);
            return;
          }
          if (over) {
            ctx.res = inner;
            sendText(ctx, 500, 'Internal Server Error');
            return;
          }
          res.flushTo(inner).catch(() => inner.destroy());
        },
      ).asWriter();
      next(ctx);
    };
    attempt();
  }
}
