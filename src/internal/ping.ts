import { type HttpHandler, sendText } from '../core/http-context.js';

/** The highest priority a user router can have is MaxInt64-1000 in Traefik; internal routers sit above. */
export const INTERNAL_PRIORITY = Number.MAX_SAFE_INTEGER;

/**
 * `ping@internal`: `GET|HEAD /ping` → 200 `OK`; while the process is shutting down →
 * `terminatingStatusCode` (503 by default) so load balancers stop sending traffic.
 */
export function pingHandler(isTerminating: () => boolean, terminatingStatusCode: number): HttpHandler {
  return (ctx) => {
    const method = ctx.req.method;
    if (method !== 'GET' && method !== 'HEAD') {
      sendText(ctx, 405, 'Method Not Allowed\n');
      return;
    }
    if (isTerminating())
      sendText(
        ctx,
        terminatingStatusCode,
        `${terminatingStatusCode === 503 ? 'Service Unavailable' : 'terminating'}`,
      );
    else sendText(ctx, 200, 'OK');
  };
}
