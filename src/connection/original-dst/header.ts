import type { HttpContext } from '../../core/http-context.js';
import { connectionFacts } from '../connection-facts.js';
import { formatAddress } from './stage.js';

/**
 * The request step of a transparent entrypoint: sets `name` (e.g. `X-Original-Destination:
 * 192.0.2.80:80`) to the connection's original destination, and always removes a value the client
 * sent itself, so a server can trust the header.
 */
export function originalDestinationHeader(name: string): (ctx: HttpContext) => void {
  const key = name.toLowerCase();
  return (ctx) => {
    const headers = ctx.req.headers;
    delete headers[key];
    const dst = connectionFacts(ctx.req.socket)?.originalDestination;
    if (dst) headers[key] = formatAddress(dst);
  };
}
