import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { DownstreamProtocol, HttpContext } from '../core/http-context.js';

/**
 * The HTTP/1 adapter: node's `IncomingMessage` and `ServerResponse` already have the shape of the request
 * model (docs/design/request-model.md), so they are used as they are (nothing allocated per request);
 * this object holds what only node's private state tells. It is the one place allowed to read it.
 */
type Node1Response = ServerResponse & { _sent100?: boolean; _header?: string | null };

function raw(ctx: HttpContext): Node1Response {
  return ctx.rawRes as unknown as Node1Response;
}

/**
 * The response fields as sent (parsed from the written HTTP/1 `head`: lowercase names, repeats joined with
 * `, `), or as they stand on `res` while nothing was written.
 */
export function responseFields(
  head: string | null | undefined,
  res: { getHeaders(): OutgoingHttpHeaders },
): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof head !== 'string') {
    // `writeHead(obj)` leaves `getHeaders()` empty once sent: the written head is the truth.
    for (const [k, v] of Object.entries(res.getHeaders()))
      if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
    return out;
  }
  const lines = head.split('\r\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return out;
}

export const HTTP1: DownstreamProtocol = {
  name: 'HTTP/1.1',
  continueSent(ctx) {
    return raw(ctx)._sent100 === true;
  },
  writeContinue(ctx) {
    const res = raw(ctx);
    if (!res.headersSent && !res._sent100) res.writeContinue();
  },
  headLength(ctx) {
    const head = raw(ctx)._header;
    return typeof head === 'string' ? head.length : 0;
  },
  sentHeaders(ctx) {
    const res = raw(ctx);
    return responseFields(res._header, res);
  },
  closeAfterResponse(ctx) {
    raw(ctx).shouldKeepAlive = false;
  },
  releaseUpgrade(ctx) {
    const socket = ctx.upgrade?.socket;
    if (socket) raw(ctx).detachSocket(socket as Socket);
  },
};
