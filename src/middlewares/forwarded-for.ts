import type { HttpContext } from '../core/http-context.js';

/**
 * Marks a request so that the proxy neither appends the client address to `X-Forwarded-For` nor sends
 * that header at all. This is what Traefik does for `customRequestHeaders: { X-Forwarded-For: "" }`.
 */
export function suppressForwardedFor(ctx: HttpContext): void {
  ctx.forwardedFor = 'none';
  delete ctx.req.headers['x-forwarded-for'];
}

/** True when a middleware asked for no `X-Forwarded-For` on this request. */
export function isForwardedForSuppressed(ctx: HttpContext): boolean {
  return ctx.forwardedFor === 'none';
}
