import { ERRORS, errorMessage, type ResponseErrorCode, SwitchyardError } from '../core/errors.js';
import { type HttpContext, type HttpHandler, sendError } from '../core/http-context.js';
import type { Logger } from '../core/logger.js';

/**
 * The one error path (docs/design/request-model.md): any handler failure — a throw, a rejected promise
 * returned by an async handler — ends here, once per request.
 */

const FAILED = Symbol('switchyard.requestFailed');
type Failed = HttpContext & { [FAILED]?: true };

/** The status a failure answers with: its catalogue status when it has one, else 500. */
export function failureCode(err: unknown): ResponseErrorCode {
  if (err instanceof SwitchyardError && 'body' in ERRORS[err.code]) return err.code as ResponseErrorCode;
  return 'INTERNAL';
}

/**
 * Answers a failed request once: one log line naming entrypoint, router, service, middleware and cause;
 * the catalogue status when nothing was sent yet; the exchange cut when the response had started; 499
 * recorded when the client had left.
 */
export function failRequest(ctx: HttpContext, err: unknown, logger: Logger, middleware?: string): void {
  const c = ctx as Failed;
  if (c[FAILED]) return;
  c[FAILED] = true;
  const raw = ctx.rawRes;
  const gone = raw.destroyed && !raw.headersSent;
  const code = gone ? 'CLIENT_CLOSED' : failureCode(err);
  logger.error('request handler failed', {
    entryPoint: ctx.entryPoint,
    router: ctx.routerName,
    service: ctx.serviceName,
    middleware,
    status: ERRORS[code].status,
    error: errorMessage(err),
  });
  if (gone) {
    ctx.abortedStatus = ERRORS.CLIENT_CLOSED.status;
    return;
  }
  if (ctx.res.headersSent || raw.headersSent) {
    // The head is out: cutting the exchange is the only honest signal left.
    ctx.res.destroy();
    if (ctx.res !== raw) raw.destroy();
    ctx.upgrade?.socket.destroy();
    return;
  }
  sendError(ctx, code);
  ctx.upgrade?.socket.end();
}

/**
 * Runs `handler` and routes any failure to `failRequest`. A sync handler costs one call and nothing is
 * allocated; a handler returning a promise has its rejection caught.
 */
export function runHandler(
  handler: HttpHandler,
  ctx: HttpContext,
  logger: Logger,
  middleware?: string,
): void {
  let result: unknown;
  try {
    result = handler(ctx);
  } catch (err) {
    failRequest(ctx, err, logger, middleware);
    return;
  }
  if (result !== undefined && typeof (result as PromiseLike<unknown>).then === 'function') {
    (result as Promise<unknown>).then(undefined, (err: unknown) => failRequest(ctx, err, logger, middleware));
  }
}

/** `handler` with its failures answered by the error path and attributed to `middleware`. */
export function guardHandler(handler: HttpHandler, logger: Logger, middleware?: string): HttpHandler {
  return (ctx) => runHandler(handler, ctx, logger, middleware);
}
