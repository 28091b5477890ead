import type { OutgoingHttpHeaders } from 'node:http';
import type { HttpContext } from '../../core/http-context.js';

/*
 * The CORS side of `grpcWeb`, as Traefik's gRPC-Web wrapper does it: origins checked against
 * `allowOrigins` (an allowed origin is echoed, never `*`, because credentials are always allowed), any
 * request header allowed, the simple methods (GET, POST, HEAD) allowed, preflight answers cached 600 s.
 */

/** Methods a preflight may ask for (OPTIONS is always accepted). */
const METHODS = new Set(['GET', 'POST', 'HEAD', 'OPTIONS']);
const MAX_AGE = '600';

/** Whether an origin may call cross-origin, prepared once from `allowOrigins`. */
export type OriginCheck = (origin: string) => boolean;

export function originCheck(allowOrigins: readonly string[]): OriginCheck {
  if (allowOrigins.includes('*')) return () => true;
  const allowed = new Set(allowOrigins);
  return (origin) => allowed.has(origin);
}

function header(ctx: HttpContext, name: string): string {
  const v = ctx.req.headers[name];
  return Array.isArray(v) ? v.join(', ') : (v ?? '');
}

/**
 * Whether the request is the CORS preflight of a gRPC-Web call: OPTIONS asking for the `x-grpc-web`
 * header. Other preflights are not this middleware's (they go on to the next handler).
 */
export function isGrpcWebPreflight(ctx: HttpContext): boolean {
  return (
    ctx.req.method === 'OPTIONS' &&
    header(ctx, 'access-control-request-method') !== '' &&
    header(ctx, 'access-control-request-headers').toLowerCase().includes('x-grpc-web')
  );
}

/**
 * Header names of `Access-Control-Request-Headers` as Go canonicalises them (`x-grpc-web` becomes
 * `X-Grpc-Web`); characters other than letters, digits, `-` and `_` are dropped.
 */
export function canonicalHeaderList(list: string): string[] {
  const out: string[] = [];
  for (const token of list.split(/[ ,]+/)) {
    let name = '';
    let upper = true;
    for (const ch of token) {
      if (/[a-zA-Z]/.test(ch)) name += upper ? ch.toUpperCase() : ch.toLowerCase();
      else if (/[-_0-9]/.test(ch)) name += ch;
      upper = ch === '-' || ch === '_';
    }
    if (name !== '') out.push(name);
  }
  return out;
}

/**
 * Answers a gRPC-Web preflight: 200 with an empty body, and the allow-* headers only when the origin is
 * allowed and the method is a simple one (otherwise the browser sees no permission and stops).
 */
export function answerPreflight(ctx: HttpContext, allowed: OriginCheck): void {
  const headers: OutgoingHttpHeaders = {
    vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    'content-length': 0,
  };
  const origin = header(ctx, 'origin');
  const method = header(ctx, 'access-control-request-method').toUpperCase();
  if (origin !== '' && allowed(origin) && METHODS.has(method)) {
    headers['access-control-allow-origin'] = origin;
    headers['access-control-allow-methods'] = method;
    const requested = canonicalHeaderList(header(ctx, 'access-control-request-headers'));
    if (requested.length > 0) headers['access-control-allow-headers'] = requested.join(', ');
    headers['access-control-allow-credentials'] = 'true';
    headers['access-control-max-age'] = MAX_AGE;
  }
  ctx.res.writeHead(200, headers);
  ctx.res.end();
}

/**
 * The CORS headers of an actual gRPC-Web call's response: `Vary: Origin` always, and the allow headers
 * for an allowed origin. A refused origin is still served (the browser withholds the answer from the
 * page), as with Traefik.
 */
export function actualRequestHeaders(ctx: HttpContext, allowed: OriginCheck): OutgoingHttpHeaders {
  const origin = header(ctx, 'origin');
  if (origin === '' || !allowed(origin)) return { vary: 'Origin' };
  return {
    vary: 'Origin',
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
  };
}
