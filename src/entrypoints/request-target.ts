import type { DownstreamRequest } from '../core/http-context.js';

/*
 * What Go's HTTP/1 server (and so Traefik) does with a request before any handler sees it: an
 * absolute-form target (`GET http://example.com/x HTTP/1.1`) is served as `/x` for host `example.com`,
 * whatever the Host header says (RFC 9112 §3.2.2), and a request Go refuses is answered here, before
 * routing, so that no router, middleware or backend ever sees it.
 */

/** An absolute-form request target, split the way Go's `url.ParseRequestURI` splits it. */
export interface AbsoluteTarget {
  /** The URL's authority without user information (`host[:port]`); '' when the URL has none. */
  readonly host: string;
  /** The path and query in origin form (`/` when the URL has no path). */
  readonly originForm: string;
  /** `http` or `https` when the target is written with exactly that scheme (what redirects read). */
  readonly scheme: 'http' | 'https' | undefined;
}

// scheme "://" authority, then the path (up to `?`) and the query. Go cuts the query first, so an
// authority ends at the first `/` or `?`.
const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?]*)([^?]*)(\?.*)?$/s;
// Characters Go's URL parser accepts in a host (unreserved, sub-delims, `:` `[` `]`, and the few it lets
// through for compatibility), once `%XX` escapes of non-ASCII bytes are set aside.
const URL_HOST = /^[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"]*$/;
const URL_USERINFO = /^[A-Za-z0-9\-._~!$&'()*+,;=:%@]*$/;
const NON_ASCII_ESCAPE = /%(?:[89A-Fa-f][0-9A-Fa-f]|25)/g;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/**
 * Splits an absolute-form target; undefined when `target` is not one or is one Go refuses (a bad host or
 * port, broken user information).
 *
 * @example parseAbsoluteTarget('http://u@Example.com:8080?q=1') → { host: 'Example.com:8080', originForm: '/?q=1', scheme: 'http' }
 */
export function parseAbsoluteTarget(target: string): AbsoluteTarget | undefined {
  const m = ABSOLUTE.exec(target);
  if (m === null) return undefined;
  let authority = m[2]!;
  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    if (!URL_USERINFO.test(authority.slice(0, at))) return undefined;
    authority = authority.slice(at + 1);
  }
  if (!validUrlHost(authority)) return undefined;
  const scheme = m[1] === 'http' || m[1] === 'https' ? m[1] : undefined;
  return { host: authority, originForm: (m[3] || '/') + (m[4] ?? ''), scheme };
}

/** Go's `parseHost`: an IPv6 literal in brackets or a name, then an optional all-digit port. */
export function validUrlHost(host: string): boolean {
  let name = host;
  let rest = '';
  if (host.charCodeAt(0) === 91 /* [ */) {
    const end = host.indexOf(']');
    if (end === -1) return false;
    rest = host.slice(end + 1);
    name = host.slice(0, end + 1);
    if (rest !== '' && rest.charCodeAt(0) !== 58 /* : */) return false;
  } else {
    const colon = host.lastIndexOf(':');
    if (colon !== -1) {
      rest = host.slice(colon);
      name = host.slice(0, colon);
    }
  }
  if (rest !== '' && !/^:\d*$/.test(rest)) return false;
  const plain = name.indexOf('%') === -1 ? name : name.replace(NON_ASCII_ESCAPE, '');
  return plain.indexOf('%') === -1 && URL_HOST.test(plain);
}

/**
 * Rewrites an absolute-form request in place as Go's server presents it to handlers: `req.url` becomes
 * the origin form and the `Host` header the URL's authority (the header a client sent is ignored; Go
 * replaces `r.Host`, Traefik routes on it and forwards it). Origin-form, `*` and CONNECT targets are
 * left alone, as is a target that does not parse (the request is refused afterwards, see
 * `requestRefusal`). Returns the target's scheme when it is `http` or `https`.
 */
export function adoptAbsoluteTarget(req: DownstreamRequest): 'http' | 'https' | undefined {
  const url = req.url ?? '/';
  if (url.charCodeAt(0) === 47 /* / */ || url === '*' || req.method === 'CONNECT') return undefined;
  const target = parseAbsoluteTarget(url);
  if (target === undefined) return undefined;
  req.url = target.originForm;
  if (target.host !== '') req.headers.host = target.host;
  return target.scheme;
}

/**
 * Whether Go's `url.Parse` accepts `text` (what Traefik's redirect middlewares do with the URL they
 * built: one it cannot parse is answered 502). Refused: control characters, a `%` not starting an
 * escape (outside the query), a leading `:`, a bad authority (host characters, escapes of ASCII bytes in
 * the host, a port that is not digits), and a relative reference whose first segment has a `:`.
 */
export function goUrlParses(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what Go refuses
  if (/[\x00-\x1f\x7f]/.test(text)) return false;
  const hash = text.indexOf('#');
  if (hash !== -1 && BAD_ESCAPE.test(text.slice(hash + 1))) return false;
  let rest = hash === -1 ? text : text.slice(0, hash);
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(rest);
  if (scheme !== null) rest = rest.slice(scheme[0].length);
  else if (rest.charCodeAt(0) === 58 /* : */) return false;
  const q = rest.indexOf('?');
  if (q !== -1) rest = rest.slice(0, q);
  if (scheme !== null && rest.charCodeAt(0) !== 47 /* / */) return true; // opaque (`mailto:x`)
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    let authority = slash === -1 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash === -1 ? '' : rest.slice(slash);
    const at = authority.lastIndexOf('@');
    if (at !== -1) {
      if (!URL_USERINFO.test(authority.slice(0, at))) return false;
      authority = authority.slice(at + 1);
    }
    if (!validUrlHost(authority)) return false;
  } else if (scheme === null) {
    const slash = rest.indexOf('/');
    if ((slash === -1 ? rest : rest.slice(0, slash)).indexOf(':') !== -1) return false;
  }
  return !BAD_ESCAPE.test(rest);
}

/** A refusal: the status and the reason Go gives (sent as `<status> <text>: <reason>`). */
export interface Refusal {
  readonly status: number;
  readonly reason: string;
}

// httpguts.ValidHostHeader: the bytes of a host, an IP literal, a port and a zone; nothing else.
const HOST_HEADER = /^[A-Za-z0-9!$%&'()*+,\-.:;=[\]_~]*$/;

/**
 * Why Go's HTTP/1 server would refuse this request, or undefined. Checked on the request as received
 * (raw header lines, target after `adoptAbsoluteTarget`):
 * - a protocol version other than 1.x → 505 (`GET / HTTP/2.0` on an HTTP/1 connection);
 * - more than one `Host` line, even with equal values → 400; a `Host` value with a byte no host can
 *   contain (space, `/`, `@`, `?`, `#`, `"`, `\`…) → 400; none at all on HTTP/1.1 → 400. An empty
 *   `Host:` is valid for Go (RFC 9112 allows it) and is served;
 * - a target that is neither a path, `*` (OPTIONS) nor a CONNECT authority, or a path with a `%` that
 *   does not start a `%XX` escape → 400. `%00` is a valid escape: Go and Traefik accept it (the
 *   entrypoint option `http.encodedCharacters` can refuse it);
 * - a `Transfer-Encoding` other than one `chunked` (`gzip, chunked`, `identity, chunked`, two lines) → 501,
 *   as Go (nginx also answers 501): the coding would reach the server unchanged.
 */
export function requestRefusal(req: DownstreamRequest): Refusal | undefined {
  if (req.httpVersionMajor !== 1) return { status: 505, reason: 'unsupported protocol version' };
  const raw = req.rawHeaders;
  let hosts = 0;
  let host = '';
  let tes = 0;
  let te = '';
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host') {
      hosts++;
      host = raw[i + 1]!;
    } else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') {
      tes++;
      te = raw[i + 1]!;
    }
  }
  if (hosts > 1) return { status: 400, reason: 'too many Host headers' };
  if (tes > 1 || (tes === 1 && te.trim().toLowerCase() !== 'chunked')) {
    return { status: 501, reason: 'unsupported transfer encoding' };
  }
  if (hosts === 1 && !HOST_HEADER.test(host)) return { status: 400, reason: 'malformed Host header' };
  if (hosts === 0 && req.httpVersionMinor >= 1 && req.method !== 'CONNECT') {
    return { status: 400, reason: 'missing required Host header' };
  }
  const url = req.url ?? '/';
  if (url.charCodeAt(0) === 47 /* / */) {
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path.indexOf('%') !== -1 && BAD_ESCAPE.test(path)) return { status: 400, reason: 'invalid URI' };
    return undefined;
  }
  if ((url === '*' && req.method === 'OPTIONS') || req.method === 'CONNECT') return undefined;
  return { status: 400, reason: 'invalid URI for request' };
}
