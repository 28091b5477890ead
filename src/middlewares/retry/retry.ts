import diagnostics from 'node:diagnostics_channel';
import { ERRORS, SwitchyardError } from '../../core/errors.js';
import { type HttpContext, type HttpHandler, sendText } from '../../core/http-context.js';
import { hasRequestBody, readBody } from '../body-reader.js';
import type { Middleware } from '../contract.js';
import { inRanges, parseStatusRanges } from '../status-ranges.js';
import { AttemptResponse } from './attempt-response.js';
import type { RetryOptions } from './schema.js';

/** Published before every replayed attempt: `{ ctx, attempt }` (2 for the first retry). */
export const retryChannel = diagnostics.channel('switchyard:retry');

const NON_IDEMPOTENT = new Set(['POST', 'PATCH', 'LOCK', 'CONNECT']);
/** Socket errors meaning the request never reached the server (safe to replay whatever the method). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * Sends the request again (on whatever server the balancer picks next) when the upstream could not be
 * reached or, for idempotent methods, when it failed before any response byte reached the client — a
 * backend that dies mid-request included — and, if `status` is set, when the answer has a listed status.
 * The body is read first (up to maxRequestBodyBytes) so it can be replayed; a larger declared body is
 * forwarded once without retries, a larger chunked one gets 413. Waits initialInterval, doubling up to
 * twice it, between tries; no new try after `timeout`. The last try's answer is returned.
 */
export function createRetry(options: RetryOptions): Middleware {
  if (options.attempts < 1) throw new SwitchyardError('CONFIG_INVALID', 'retry: attempts must be at least 1');
  const ranges = parseStatusRanges(options.status ?? [], 'retry');
  if (options.disableRetryOnNetworkError && ranges.length === 0) {
    throw new SwitchyardError('CONFIG_INVALID', 'retry: disableRetryOnNetworkError needs status');
  }
  const { attempts, initialInterval, timeout, maxRequestBodyBytes: limit } = options;
  if (attempts === 1) return (next) => next;
  return (next) => (ctx) => {
    if (ctx.upgrade !== undefined || !hasRequestBody(ctx.req)) {
      run(ctx, next, undefined);
      return;
    }
    const declared = Number(ctx.req.headers['content-length']);
    if (limit >= 0 && declared > limit) {
      next(ctx);
      return;
    }
    readBody(ctx.req, limit, (r) => {
      if (r.ok) run(ctx, next, r.body);
      else if (r.tooLarge) sendText(ctx, 413, 'Request Entity Too Large');
      else ctx.abortedStatus = ERRORS.CLIENT_CLOSED.status;
    });
  };

  function run(ctx: HttpContext, next: HttpHandler, body: Buffer | undefined): void {
    const method = ctx.req.method ?? 'GET';
    const idempotent = !NON_IDEMPOTENT.has(method) || options.retryNonIdempotentMethod;
    const started = Date.now();
    const inner = ctx.res;
    const saved = {
      url: ctx.req.url,
      path: ctx.path,
      headers: { ...ctx.req.headers },
      hooks: ctx.headHooks?.slice(),
    };
    let attempt = 0;
    const mayRetry = () =>
      attempt < attempts && !ctx.rawRes.destroyed && (timeout <= 0 || Date.now() - started < timeout);
    const shouldRetry = (status: number): boolean => {
      if (!mayRetry()) return false;
      const failure = ctx.upstreamError;
      if (failure !== undefined) {
        if (options.disableRetryOnNetworkError) return false;
        const network =
          failure.status === 502 || (failure.status === 504 && failure.reason === 'dial timeout');
        return network && (idempotent || (failure.code !== undefined && NOT_SENT.has(failure.code)));
      }
      return ranges.length > 0 && idempotent && inRanges(ranges, status);
    };
    const tryOnce = (): void => {
      attempt++;
      ctx.retryAttempts = attempt - 1;
      ctx.upstreamError = undefined;
      if (attempt > 1) {
        if (retryChannel.hasSubscribers) retryChannel.publish({ ctx, attempt });
        ctx.req.url = saved.url;
        ctx.path = saved.path;
        ctx.req.headers = { ...saved.headers };
        ctx.headHooks = saved.hooks?.slice();
      }
      ctx.res = new AttemptResponse(inner, shouldRetry, again).asWriter();
      next(ctx);
    };
    const again = (): void => {
      const wait =
        initialInterval > 0 ? Math.min(initialInterval * 2 ** (attempt - 1), 2 * initialInterval) : 0;
      if (wait === 0) setImmediate(tryOnce);
      else setTimeout(tryOnce, wait);
    };
    if (body !== undefined) ctx.replayBody = body;
    tryOnce();
  }
}
