import type { OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ERRORS } from '../core/errors.js';
import { type HttpContext, runHeadHooks } from '../core/http-context.js';
import { proxyLogger } from './exchange-end.js';
import { INVALID_VALUE, TOKEN } from './response-head.js';
import type { ForwardOptions, UpstreamTarget } from './target.js';

const NO_OPTIONS: ForwardOptions = {};

/**
 * Forwards a protocol-switch request (WebSocket, h2c upgrade…) on a fresh upstream connection. The
 * request goes up with `Connection: Upgrade`; a 101 answer is relayed over the raw client socket and from
 * then on the two sockets are piped both ways with backpressure; any other answer is forwarded as a
 * normal response through `ctx.res` (bound to the same socket) and the socket is closed after it.
 * `head` holds the bytes the client sent after its request head; they are relayed right after it.
 *
 * The entrypoint does not call this directly: it puts `{ socket, head }` in `ctx.upgrade` and runs the
 * handler chain; `forward()` lands here.
 */
export function forwardUpgrade(
  ctx: HttpContext,
  socket: Duplex,
  head: Buffer,
  target: UpstreamTarget,
  opts: ForwardOptions = NO_OPTIONS,
): void {
  if (ctx.upgrade === undefined) ctx.upgrade = { socket, head };
  ctx.serverUrl = target.url;
  if (socket.destroyed) {
    ctx.abortedStatus = ERRORS.CLIENT_CLOSED.status;
    return;
  }
  target.pool.connect().start(ctx, target, opts, false, true);
}

/**
 * Relays the 101 head to the client, then pipes the sockets. Either side closing or failing closes both,
 * so a broken peer never leaves a half-dead tunnel behind.
 */
export function switchProtocols(
  ctx: HttpContext,
  target: UpstreamTarget,
  upstream: Socket,
  headers: OutgoingHttpHeaders,
  upgradeValue: string | undefined,
  rest: Buffer | undefined,
): void {
  const client = ctx.upgrade!.socket;
  runHeadHooks(ctx, 101, headers);
  const head = ctx.protocol.acceptUpgrade ? undefined : switchingHead(headers, upgradeValue);
  // The ServerResponse bound to the socket must never write now that the socket speaks another protocol.
  ctx.protocol.releaseUpgrade(ctx);
  const closeBoth = (): void => {
    upstream.destroy();
    client.destroy();
  };
  const onError = (err: Error): void => {
    if (proxyLogger.enabled('DEBUG')) {
      proxyLogger.debug('upgraded connection failed', { server: target.url, error: err.message });
    }
    closeBoth();
  };
  upstream.on('error', onError);
  client.on('error', onError);
  upstream.once('close', closeBoth);
  client.once('close', closeBoth);
  if (head === undefined) ctx.protocol.acceptUpgrade!(ctx, headers);
  else client.write(head, 'latin1');
  if (rest && rest.length > 0) client.write(rest);
  // What the client sent after its request head (and its declared body) was held until now.
  const early = ctx.upgrade!.head;
  const body = Number(ctx.req.headers['content-length'] ?? 0) || 0;
  if (early.length > body) upstream.write(early.subarray(body));
  upstream.pipe(client);
  client.pipe(upstream);
  upstream.resume();
}

/** HTTP/1's `101 Switching Protocols` head with the server's headers (invalid ones left out). */
function switchingHead(headers: OutgoingHttpHeaders, upgradeValue: string | undefined): string {
  let head = 'HTTP/1.1 101 Switching Protocols\r\n';
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || !TOKEN.test(name)) continue;
    for (const v of Array.isArray(value) ? value : [String(value)]) {
      if (!INVALID_VALUE.test(v)) head += `${name}: ${v}\r\n`;
    }
  }
  return `${head}connection: Upgrade\r\n${upgradeValue ? `upgrade: ${upgradeValue}\r\n` : ''}\r\n`;
}
