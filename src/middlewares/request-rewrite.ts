import type { IncomingHttpHeaders } from 'node:http';
import { SwitchyardError } from '../core/errors.js';
import type { HttpContext } from '../core/http-context.js';
import { routingPath } from '../entrypoints/request-context.js';

/**
 * Helpers for middlewares that rewrite the request target. A request carries its path twice: the raw
 * form in `ctx.req.url` (what the proxy sends upstream, query included) and the routing form in
 * `ctx.path` (escapes of ordinary characters decoded). Every rewrite updates both so that a router or
 * middleware later in the chain sees the same path as the upstream will.
 */

/** Where the path part of a request target ends: the index of `?`, or the length. */
export function queryStart(url: string): number {
  const q = url.indexOf('?');
  return q === -1 ? url.length : q;
}

/**
 * Replaces the path of the request, keeping its query: `rawPath` goes to `ctx.req.url`, `routing` (the
 * same path in routing form) to `ctx.path`. `url` and `q` are the target and `queryStart(url)` the caller
 * already computed.
 */
export function setRequestPath(
  ctx: HttpContext,
  url: string,
  q: number,
  rawPath: string,
  routing: string,
): void {
  ctx.req.url = q === url.length ? rawPath : rawPath + url.slice(q);
  ctx.path = routing;
}

/** `"foo"` → `"/foo"`; a path already starting with `/`, and the empty string, are returned unchanged. */
export function ensureLeadingSlash(path: string): string {
  return path === '' || path.charCodeAt(0) === 47 /* / */ ? path : `/${path}`;
}

/**
 * How many characters of the raw path `raw` spell its first `routingLength` characters in routing form
 * (see `routingPath`: an escape of an ordinary ASCII character is one routing character, other escapes
 * stay three). Lets a middleware that matched the routing form cut the raw form at the same place.
 *
 * @example rawLength('/b/ap%69/a%2Fb', '/b/api/'.length) === 9
 */
export function rawLength(raw: string, routingLength: number): number {
  let i = 0;
  let routed = 0;
  while (routed < routingLength && i < raw.length) {
    if (raw.charCodeAt(i) === 37 /* % */ && ESCAPE.test(raw.slice(i, i + 3))) {
      routed += routingPath(raw.slice(i, i + 3)).length;
      i += 3;
    } else {
      routed++;
      i++;
    }
  }
  return i;
}

/** The routing form of a raw path (see `ctx.path`), as the entrypoint computes it. */
export function toRoutingPath(rawPath: string): string {
  return routingPath(rawPath);
}

// Characters a path may carry unescaped (RFC 3986 pchar plus `/`).
const PATH_CHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;
const ESCAPE = /^%[0-9A-Fa-f]{2}/;

/**
 * Makes `text` usable as a raw path. Characters a path may carry are kept; `%XX` escapes are kept when
 * `keepEscapes` (the text is already an encoded path, like `replacePath.path`) and otherwise encoded as a
 * literal percent (the text is a decoded path, like `addPrefix.prefix`); anything else is encoded as UTF-8.
 * Runs when a middleware is created, never per request.
 *
 * @example encodePath('/a b/100%', false) === '/a%20b/100%25'
 */
export function encodePath(text: string, keepEscapes: boolean): string {
  let out = '';
  let i = 0;
  for (const ch of text) {
    if (ch === '%' && keepEscapes && ESCAPE.test(text.slice(i, i + 3))) out += '%';
    else if (PATH_CHAR.test(ch)) out += ch;
    else {
      try {
        out += encodeURIComponent(ch);
      } catch (err) {
        throw new SwitchyardError('CONFIG_INVALID', `path ${JSON.stringify(text)} is not valid text`, {
          cause: err,
        });
      }
    }
    i += ch.length;
  }
  return out;
}

/** Whether every `%` in `text` starts a `%XX` escape, so that it can be decoded. */
export function hasValidEscapes(text: string): boolean {
  for (let i = text.indexOf('%'); i !== -1; i = text.indexOf('%', i + 1)) {
    if (!ESCAPE.test(text.slice(i, i + 3))) return false;
  }
  return true;
}

/**
 * Adds a request header value the way Go's `Header.Add` does: a header already present gets one more
 * value (sent as a separate header line), it is not replaced. `name` must be lower case.
 */
export function appendRequestHeader(headers: IncomingHttpHeaders, name: string, value: string): void {
  const current = headers[name];
  if (current === undefined) headers[name] = value;
  else if (Array.isArray(current)) current.push(value);
  else headers[name] = [current, value];
}
