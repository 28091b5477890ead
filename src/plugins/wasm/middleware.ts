import { errorMessage, SwitchyardError } from '../../core/errors.js';
import { addHeadHook, type HttpContext, type HttpHandler, runHeadHooks } from '../../core/http-context.js';
import { hasRequestBody, readBody } from '../../middlewares/body-reader.js';
import type { Middleware, MiddlewareBuildContext } from '../../middlewares/contract.js';
import { Feature } from './abi.js';
import { Exchange } from './exchange.js';
import { type CompiledGuest, type GuestInstance, GuestPool } from './guest.js';

/** The largest request body buffered for a guest that asked for it (feature buffer_request). */
export const MAX_BUFFERED_BODY = 16 * 1024 * 1024;

/**
 * The middleware of a wasm plugin with `options` (given to the guest as JSON by get_config). One
 * instance is started here, so a guest that rejects its configuration (traps while starting) disables the
 * middleware like unusable options. Per request: handle_request runs on an idle instance; if it calls
 * next, handle_response runs on the same instance as a response-head hook.
 */
export function wasmMiddleware(
  guest: CompiledGuest,
  options: unknown,
  bctx: MiddlewareBuildContext,
): Middleware {
  const pool = new GuestPool(guest, Buffer.from(JSON.stringify(options ?? {})), bctx.logger);
  pool.release(pool.acquire());

  const run = (ctx: HttpContext, next: HttpHandler): void => {
    const instance = pool.acquire();
    const ex = new Exchange(ctx);
    const ctxNext = instance.handleRequest(ex);
    if ((ctxNext & 1n) === 0n) {
      pool.release(instance);
      respond(ctx, ex);
      return;
    }
    const reqCtx = Number(BigInt.asIntN(32, ctxNext >> 32n));
    const pending = ex.responseHeaders;
    ex.responseHeaders = undefined;
    if (pending || guest.hasResponseHandler) {
      addHeadHook(ctx, (_ctx, status, headers) => {
        if (pending) Object.assign(headers, pending);
        if (!guest.hasResponseHandler) return status;
        ex.phase = 'response';
        ex.status = status;
        ex.responseHeaders = headers;
        try {
          responseHook(pool, instance, ex, reqCtx);
        } catch (err) {
          // The head is being written by whoever answers: the failure is logged and the status says it.
          bctx.logger.error('request handler failed', {
            entryPoint: ctx.entryPoint,
            router: ctx.routerName,
            middleware: bctx.name,
            status: 500,
            error: errorMessage(err),
          });
          return 500;
        }
        return ex.status;
      });
    } else pool.release(instance);
    next(ctx);
  };

  return (next) => (ctx) => {
    if ((pool.features.value & Feature.bufferRequest) === 0 || ctx.replayBody || !hasRequestBody(ctx.req)) {
      return run(ctx, next);
    }
    return new Promise<void>((resolve, reject) => {
      readBody(ctx.req, MAX_BUFFERED_BODY, (r) => {
        if (!r.ok) {
          const why = r.tooLarge
            ? `the request body is larger than ${MAX_BUFFERED_BODY} bytes`
            : r.error?.message;
          reject(new SwitchyardError('BAD_REQUEST', `cannot buffer the request body for the guest: ${why}`));
          return;
        }
        ctx.replayBody = r.body;
        try {
          resolve(run(ctx, next));
        } catch (err) {
          reject(err);
        }
      });
    });
  };
}

function responseHook(pool: GuestPool, instance: GuestInstance, ex: Exchange, reqCtx: number): void {
  instance.handleResponse(ex, reqCtx, false);
  pool.release(instance);
}

/** Sends the response the guest made in handle_request (it did not call next). */
function respond(ctx: HttpContext, ex: Exchange): void {
  const res = ctx.res;
  if (res.headersSent || res.destroyed) return;
  const headers = ex.responseHeaders ?? {};
  const body = Buffer.concat(ex.body);
  if (headers['transfer-encoding'] === undefined) headers['content-length'] = body.length;
  const status = runHeadHooks(ctx, ex.status, headers);
  res.writeHead(status, headers);
  res.end(ctx.req.method === 'HEAD' || status === 204 || status === 304 ? undefined : body);
}
