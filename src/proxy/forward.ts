import diagnostics from 'node:diagnostics_channel';
import { ERRORS } from '../core/errors.js';
import type { HttpContext } from '../core/http-context.js';
import { forwardH2 } from './h2-forward.js';
import type { ForwardOptions, UpstreamTarget } from './target.js';
import { forwardUpgrade } from './upgrade.js';

const NO_OPTIONS: ForwardOptions = {};

/**
 * Published with the context just before a request goes to a server (each attempt when retried, not for
 * upgrades). A subscriber may set `ctx.origin`: the proxy then records there what the server answered
 * (the access log's Origin* fields).
 */
export const PROXY_FORWARD_CHANNEL = 'switchyard:proxy.forward';
const forwarding = diagnostics.channel(PROXY_FORWARD_CHANNEL);

/**
 * Forwards the request in `ctx` to one upstream server over HTTP/1.1 and streams the response back
 * through `ctx.res`, both directions with backpressure and without buffering bodies.
 *
 * - Connections come from the target's keep-alive pool. When a *reused* connection dies before any byte
 *   of the response (the stale keep-alive race), an idempotent request whose body has not started is
 *   replayed once on a fresh connection.
 * - Failures before the response head: 502 `Bad Gateway` (refused, reset, malformed answer), 504
 *   `Gateway Timeout` (dialTimeout, responseHeaderTimeout). After the head: the downstream connection is
 *   cut. Client gone first: the upstream request is aborted and `ctx.abortedStatus` = 499.
 * - `Expect: 100-continue`: forwarded upstream; the client gets its 100 when the server sends one (or
 *   after 1 s of silence, then the body flows anyway). A final answer without 100 skips the body.
 * - Responses are written through as they arrive (no `flushInterval` batching: always prompt).
 * - `ctx.upgrade` set (an `Upgrade` request): see `forwardUpgrade` (always HTTP/1.1).
 * - `h2c://` servers, and `https://` servers that pick `h2` by ALPN: HTTP/2, see `forwardH2`.
 *
 * @example
 *   const target = createUpstreamTarget({ url: 'http://10.0.0.7:8080' }, transport, { passHostHeader: true, generation });
 *   const handler: HttpHandler = (ctx) => forward(ctx, target);
 */
export function forward(ctx: HttpContext, target: UpstreamTarget, opts: ForwardOptions = NO_OPTIONS): void {
  ctx.serverUrl = target.url;
  const upgrade = ctx.upgrade;
  if (upgrade !== undefined) {
    forwardUpgrade(ctx, upgrade.socket, upgrade.head, target, opts);
    return;
  }
  if (ctx.rawRes.destroyed) {
    // The client left while the request went through the middlewares.
    if (!ctx.rawRes.headersSent) ctx.abortedStatus = ERRORS.CLIENT_CLOSED.status;
    return;
  }
  if (forwarding.hasSubscribers) forwarding.publish(ctx);
  const h2 = target.h2;
  if (h2 !== undefined && !h2.http1) {
    forwardH2(ctx, target, h2, opts);
    return;
  }
  target.pool.acquire().start(ctx, target, opts, false, false);
}
