import type { OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { HttpContext } from '../core/http-context.js';
import { ResponseWrapper } from '../middlewares/response-wrapper.js';
import { PROXY_FORWARD_CHANNEL } from '../proxy/forward.js';
import { sharedSubscription } from './request-facts.js';

/** What the server answered to one proxied request (the last attempt when the request was retried). */
export interface OriginFacts {
  /** Status the server sent (or the proxy's 502/504 when it could not get an answer). */
  status: number;
  /** Body bytes as the server sent them (before any compress middleware), chunk framing excluded. */
  bytes: number;
  /** performance.now() when the request went to the server, and when its answer was complete (0: not yet). */
  startedAt: number;
  endedAt: number;
}

const facts = new WeakMap<HttpContext, OriginFacts>();

/** Sits in `ctx.res` between the proxy and the middlewares' writers and counts what passes. */
class OriginObserver extends ResponseWrapper {
  constructor(
    inner: ConstructorParameters<typeof ResponseWrapper>[0],
    private readonly facts: OriginFacts,
  ) {
    super(inner);
  }
  protected override onHead(status: number, headers: OutgoingHttpHeaders): void {
    this.facts.status = status;
    super.onHead(status, headers);
  }
  protected override onData(chunk: Buffer): boolean {
    this.facts.bytes += chunk.length;
    return super.onData(chunk);
  }
  protected override onEnd(): void {
    this.facts.endedAt = performance.now();
    super.onEnd();
  }
}

function observe(message: unknown): void {
  const ctx = message as HttpContext;
  const f: OriginFacts = { status: 0, bytes: 0, startedAt: performance.now(), endedAt: 0 };
  facts.set(ctx, f);
  ctx.res = new OriginObserver(ctx.res, f).asWriter();
}

/**
 * Records `OriginFacts` for every proxied request from now on, until the returned function is called.
 * Costs one small object per proxied request while someone (the access log) uses it.
 */
export const useOriginFacts = sharedSubscription(PROXY_FORWARD_CHANNEL, observe);

/** The facts of `ctx`'s last forwarded attempt; undefined when it was not proxied (or nobody asked). */
export function originFacts(ctx: HttpContext): OriginFacts | undefined {
  return facts.get(ctx);
}
