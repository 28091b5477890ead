import type { HttpContext } from '../core/http-context.js';

// Requests whose X-Forwarded-For must not be sent upstream. A WeakSet keeps HttpContext free of a field
// that only the headers middleware and the proxy care about; entries vanish with their request.
const suppressed = new WeakSet<HttpContext>();

/**
 * Marks a request so that the proxy neither appends the client address to `X-Forwarded-For` nor sends
 * that header at all. This is what Traefik does for `customRequestHeaders: { X-Forwarded-For: "" }`.
 */
export function suppressForwardedFor(ctx: HttpContext): void {
  suppressed.add(ctx);
}

/**
 * For the proxy: true when a middleware asked for no `X-Forwarded-For` on this request.
 *
 * @example if (!isForwardedForSuppressed(ctx)) headers['x-forwarded-for'] = appendIp(headers, ctx.clientIp);
 */
export function isForwardedForSuppressed(ctx: HttpContext): boolean {
  return suppressed.has(ctx);
}
