import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import type { StickyCookie } from '../../config/dynamic/index.js';
import type { ResponseHeadHook } from '../../core/http-context.js';

/**
 * The sticky cookie name, as Traefik derives it: a configured name with characters outside the RFC 2616
 * token set replaced by `_`; else `_` followed by the first 5 hex digits of sha1("_TRAEFIK_BACKEND_" +
 * the qualified service name).
 *
 * @example stickyCookieName(undefined, 'whoami@docker') // '_' + 5 hex digits
 */
export function stickyCookieName(configured: string | undefined, serviceName: string): string {
  if (configured) return configured.replace(/[^!#$%&'*+\-.^`|~0-9A-Za-z]/g, '_');
  const digest = createHash('sha1').update(`_TRAEFIK_BACKEND_${serviceName}`).digest('hex');
  return `_${digest.slice(0, 5)}`;
}

/** The cookie value naming a server: sha256 of its URL, hex, first 16 characters (Traefik v3). */
export function stickyCookieValue(serverUrl: string): string {
  return createHash('sha256').update(serverUrl).digest('hex').slice(0, 16);
}

/** Traefik's older values: 64-bit FNV-1 of the URL in hex (and of that hash again), still accepted. */
export function fnv64Hex(input: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(input)) {
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
    hash ^= BigInt(byte);
  }
  return hash.toString(16);
}

/** A cookie value matched to a server; `legacy` values are answered with a fresh cookie. */
export interface StickyMatch<S> {
  readonly server: S;
  readonly legacy: boolean;
}

/**
 * Sticky sessions by cookie for one service. Everything is computed at build time: the lookup table
 * (current and legacy values) and, per server, the head hook that sets its cookie.
 */
export class StickyCookies<S extends { readonly url: string }> {
  readonly name: string;
  private readonly byValue = new Map<string, StickyMatch<S>>();
  private readonly hooks = new Map<S, ResponseHeadHook>();

  constructor(config: StickyCookie, serviceName: string, servers: readonly S[]) {
    this.name = stickyCookieName(config.name, serviceName);
    const attributes = cookieAttributes(config);
    for (const server of servers) {
      const value = stickyCookieValue(server.url);
      this.byValue.set(value, { server, legacy: false });
      const legacy: StickyMatch<S> = { server, legacy: true };
      for (const old of [server.url, fnv64Hex(server.url), fnv64Hex(fnv64Hex(server.url))]) {
        if (!this.byValue.has(old)) this.byValue.set(old, legacy);
      }
      const setCookie = `${this.name}=${value}${attributes}`;
      this.hooks.set(server, (_ctx, status, headers) => {
        appendSetCookie(headers, setCookie);
        return status;
      });
    }
  }

  /** The server the request's cookie names, if any (whatever its health: the caller decides). */
  lookup(cookieHeader: string | undefined): StickyMatch<S> | undefined {
    if (cookieHeader === undefined) return undefined;
    const value = readCookie(cookieHeader, this.name);
    return value === undefined ? undefined : this.byValue.get(value);
  }

  /** The head hook that sets the cookie for `server`. */
  hookFor(server: S): ResponseHeadHook {
    return this.hooks.get(server)!;
  }
}

/** `; Path=/; Domain=…; Max-Age=…; HttpOnly; Secure; SameSite=…` in Go's attribute order. */
function cookieAttributes(config: StickyCookie): string {
  let out = `; Path=${cookiePath(config.path ?? '/')}`;
  const domain = config.domain?.replace(/^\./, '');
  if (domain && /^[A-Za-z0-9.-]+$/.test(domain)) out += `; Domain=${domain}`;
  const maxAge = config.maxAge ?? 0;
  if (maxAge > 0) out += `; Max-Age=${maxAge}`;
  else if (maxAge < 0) out += '; Max-Age=0';
  if (config.httpOnly) out += '; HttpOnly';
  if (config.secure) out += '; Secure';
  const sameSite = SAME_SITE[(config.sameSite ?? '').toLowerCase()];
  if (sameSite) out += `; SameSite=${sameSite}`;
  return out;
}

/** Go drops `;` and control characters from a cookie path. */
function cookiePath(path: string): string {
  let out = '';
  for (const ch of path) {
    const c = ch.charCodeAt(0);
    if (c >= 0x20 && c !== 0x7f && ch !== ';') out += ch;
  }
  return out;
}

const SAME_SITE: Record<string, string> = { none: 'None', lax: 'Lax', strict: 'Strict' };

function appendSetCookie(headers: OutgoingHttpHeaders, cookie: string): void {
  const existing = headers['set-cookie'];
  if (existing === undefined) headers['set-cookie'] = cookie;
  else if (Array.isArray(existing)) headers['set-cookie'] = [...existing, cookie];
  else headers['set-cookie'] = [String(existing), cookie];
}

/** The value of cookie `name` in a `Cookie` header (first match, surrounding quotes removed). */
export function readCookie(header: string, name: string): string | undefined {
  let i = 0;
  const len = header.length;
  while (i < len) {
    let semi = header.indexOf(';', i);
    if (semi < 0) semi = len;
    const eq = header.indexOf('=', i);
    if (eq > 0 && eq < semi && header.slice(i, eq).trim() === name) {
      let value = header.slice(eq + 1, semi).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      return value;
    }
    i = semi + 1;
  }
  return undefined;
}
