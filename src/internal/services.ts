import type { HttpHandler } from '../core/http-context.js';
import { pingHandler } from './ping.js';

/** `noop@internal`: answers 200 with no body (the target of redirect-only routers, as in Traefik). */
export const noopHandler: HttpHandler = (ctx) => {
  const res = ctx.res;
  res.writeHead(200, { 'content-length': 0 });
  res.end();
};

/** The built-in services routers can name. */
export function internalServices(
  isTerminating: () => boolean,
  terminatingStatusCode: number,
): Record<string, HttpHandler> {
  return {
    'noop@internal': noopHandler,
    'ping@internal': pingHandler(isTerminating, terminatingStatusCode),
  };
}
