import { SwitchyardError } from '../../core/errors.js';
import { type HttpContext, type HttpHandler, sendText } from '../../core/http-context.js';
import { type SharedLimits, sharedLimits } from '../../core/shared-limits.js';
import type { Middleware } from '../contract.js';
import { sourceExtractor } from '../source-criterion.js';
import type { InFlightReqOptions } from './schema.js';

/**
 * Counts requests in progress per source; one more than `amount` is answered 429. A request stops
 * counting when its downstream connection finishes or closes. Counts live in this generation only:
 * after a reload, requests already running are not counted (as in Traefik).
 */
export function createInFlightReq(options: InFlightReqOptions, name = 'inFlightReq'): Middleware {
  if (options.amount <= 0)
    throw new SwitchyardError('CONFIG_INVALID', 'inFlightReq: amount must be at least 1');
  const amount = options.amount;
  const source = sourceExtractor(options.sourceCriterion, 'inFlightReq');
  const shared = sharedLimits();
  if (shared) return sharedInFlight(shared, `${name}|${amount}`, amount, source);
  const counts = new Map<string, number>();
  return (next) => (ctx) => {
    const key = source(ctx);
    const current = counts.get(key) ?? 0;
    if (current >= amount) {
      sendText(ctx, 429, 'Too Many Requests');
      return;
    }
    counts.set(key, current + 1);
    ctx.rawRes.once('close', () => {
      const n = (counts.get(key) ?? 1) - 1;
      if (n <= 0) counts.delete(key);
      else counts.set(key, n);
    });
    next(ctx);
  };
}

/** In a worker process: the primary counts, so `amount` holds for the whole instance. */
function sharedInFlight(
  shared: SharedLimits,
  counter: string,
  amount: number,
  source: (ctx: HttpContext) => string,
): Middleware {
  return (next: HttpHandler) => (ctx) => {
    const key = source(ctx);
    shared.acquire(counter, amount, key).then(
      (ok) => {
        if (!ok) {
          sendText(ctx, 429, 'Too Many Requests');
          return;
        }
        if (ctx.rawRes.destroyed || ctx.rawRes.writableEnded) shared.release(counter, key);
        else {
          ctx.rawRes.once('close', () => shared.release(counter, key));
          next(ctx);
        }
      },
      () => sendText(ctx, 500, 'Internal Server Error'),
    );
  };
}
