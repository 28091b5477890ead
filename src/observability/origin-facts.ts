import { performance } from 'node:perf_hooks';
import type { HttpContext, OriginFacts } from '../core/http-context.js';
import { PROXY_FORWARD_CHANNEL } from '../proxy/forward.js';
import { sharedSubscription } from './request-facts.js';

export type { OriginFacts } from '../core/http-context.js';

// The proxy fills in what it writes downstream (status, body bytes, end) when `ctx.origin` is set; no
// response wrapper is needed. Each attempt of a retried request starts afresh.
function observe(message: unknown): void {
  const ctx = message as HttpContext;
  ctx.origin = { status: 0, bytes: 0, startedAt: performance.now(), endedAt: 0 };
}

/**
 * Records `OriginFacts` for every proxied request from now on, until the returned function is called.
 * Costs one small object per proxied request while someone (the access log) uses it.
 */
export const useOriginFacts = sharedSubscription(PROXY_FORWARD_CHANNEL, observe);

/** The facts of `ctx`'s last forwarded attempt; undefined when it was not proxied (or nobody asked). */
export function originFacts(ctx: HttpContext): OriginFacts | undefined {
  return ctx.origin;
}
