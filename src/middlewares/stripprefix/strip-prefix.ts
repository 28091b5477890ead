import { sendText } from '../../core/http-context.js';
import type { Logger } from '../../core/logger.js';
import type { Middleware } from '../contract.js';
import { appendRequestHeader, ensureLeadingSlash, queryStart, setRequestPath } from '../request-rewrite.js';
import type { StripPrefixOptions } from './schema.js';

/** One configured prefix, prepared once. */
interface Prefix {
  /** The prefix as UTF-8 bytes, compared against the decoded path. */
  readonly bytes: Uint8Array;
  /** The prefix itself when comparing text is enough (ASCII, no `%`), else undefined. */
  readonly plain: string | undefined;
  /** `X-Forwarded-Prefix` value: the prefix, trimmed as Traefik does. */
  readonly header: string;
}

/**
 * Removes the first configured prefix the path starts with, then forwards with `X-Forwarded-Prefix`.
 *
 * Traefik's rules, kept here: prefixes are literal and compared with the *decoded* path, so `/api` also
 * matches `/%61pi/x`, and the raw path loses exactly the encoded text that matched; the remainder gets a
 * leading `/` (`/api` on `/apix` gives `/x`, on `/api` gives `/`). Since Traefik 2.11.48 / 3.6.19 / 3.7.3
 * (GHSA-xf64-8mw2-4gr2) a remainder that is not a canonical path — an empty segment (`//`), or a `.` or
 * `..` segment — is answered 400: otherwise `/api../admin` would reach the upstream as `/../admin`, i.e.
 * `/admin`, a path another router may protect.
 */
export function createStripPrefix(options: StripPrefixOptions, logger: Logger): Middleware {
  if (options.forceSlash !== undefined) {
    logger.warn('stripPrefix option "forceSlash" is deprecated and has no effect; remove it');
  }
  const prefixes = options.prefixes.map(preparePrefix);
  if (prefixes.length === 0) return (next) => next;
  return (next) => (ctx) => {
    const path = ctx.path;
    for (const prefix of prefixes) {
      const end = matchDecodedPrefix(path, prefix);
      if (end === -1) continue;
      const routing = remainder(path, end);
      if (!isCanonicalPath(routing)) {
        sendText(ctx, 400, 'Bad Request\n');
        return;
      }
      const url = ctx.req.url ?? '/';
      const q = queryStart(url);
      const rawPath = url.slice(0, q);
      const rawEnd = matchDecodedPrefix(rawPath, prefix);
      // The raw path always matches too (ctx.path is derived from it); fall back to the routing form if a
      // handler before us made the two disagree.
      setRequestPath(ctx, url, q, rawEnd === -1 ? routing : remainder(rawPath, rawEnd), routing);
      appendRequestHeader(ctx.req.headers, 'x-forwarded-prefix', prefix.header);
      next(ctx);
      return;
    }
    next(ctx);
  };
}

function preparePrefix(text: string): Prefix {
  const plain = /^[\x20-\x24\x26-\x7e]*$/.test(text) ? text : undefined;
  return { bytes: new Uint8Array(Buffer.from(text, 'utf8')), plain, header: text.trim() };
}

/** The path after `end`, with a leading slash; an emptied path becomes `/`. */
function remainder(path: string, end: number): string {
  return end === path.length ? '/' : ensureLeadingSlash(path.slice(end));
}

/**
 * Where `prefix` ends in `path` when `path`, percent-decoded, starts with it; -1 otherwise. Each `%XX` is
 * one byte and is consumed whole; other characters are one byte each (request targets are ASCII, or latin1
 * as Node reads them).
 */
function matchDecodedPrefix(path: string, prefix: Prefix): number {
  if (prefix.plain !== undefined && path.startsWith(prefix.plain)) return prefix.plain.length;
  if (prefix.plain !== undefined && path.indexOf('%') === -1) return -1;
  const bytes = prefix.bytes;
  let i = 0;
  for (let k = 0; k < bytes.length; k++) {
    if (i >= path.length) return -1;
    let byte = path.charCodeAt(i);
    let width = 1;
    if (byte === 37 /* % */ && i + 2 < path.length) {
      const hi = hexValue(path.charCodeAt(i + 1));
      const lo = hexValue(path.charCodeAt(i + 2));
      if (hi !== -1 && lo !== -1) {
        byte = hi * 16 + lo;
        width = 3;
      }
    }
    if (byte !== bytes[k]) return -1;
    i += width;
  }
  return i;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * True when cleaning the path (collapsing `//`, resolving `.` and `..`, keeping a trailing slash) would not
 * change it — Traefik's check after stripping. `path` starts with `/`.
 */
export function isCanonicalPath(path: string): boolean {
  if (path.indexOf('//') === -1 && path.indexOf('/.') === -1) return true;
  let start = 1;
  while (start <= path.length) {
    let end = path.indexOf('/', start);
    if (end === -1) end = path.length;
    const length = end - start;
    // An empty segment is allowed only as the trailing slash.
    if (length === 0 && end !== path.length) return false;
    if (length === 1 && path.charCodeAt(start) === 46 /* . */) return false;
    if (length === 2 && path.startsWith('..', start)) return false;
    start = end + 1;
  }
  return true;
}
