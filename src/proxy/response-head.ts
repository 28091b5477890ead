import type { OutgoingHttpHeaders } from 'node:http';

/** Body framing of a response, from its headers. */
export const FRAMING_CLOSE = 0;
export const FRAMING_LENGTH = 1;
export const FRAMING_CHUNKED = 2;

/** What parsing a response head yields; the response parser holds these fields. */
export interface ParsedHead {
  statusCode: number;
  versionMinor: number;
  /** End-to-end headers, lowercase names, repeats as arrays. */
  headers: OutgoingHttpHeaders;
  upgradeValue: string | undefined;
  keepAlive: boolean;
  framing: number;
  contentLength: number;
}

/**
 * Parses a response head (status line and header lines, without the blank line) into `out`, dropping
 * hop-by-hop headers and those named in `Connection`. Returns an error text for an unusable head (the
 * client then gets 502, as from nginx and HAProxy), else undefined. Unusable: a malformed status line, a
 * header line without a colon, a name that is not a token (a space in it or before the colon), a value
 * with a control character (a bare CR, which some clients read as a line end, or a NUL), both
 * `Transfer-Encoding` and `Content-Length`, differing or invalid `Content-Length`s.
 */
export function parseResponseHead(text: string, out: ParsedHead): string | undefined {
  let eol = text.indexOf('\n');
  const statusLine = trimCR(eol < 0 ? text : text.slice(0, eol));
  if (
    statusLine.length < 12 ||
    !statusLine.startsWith('HTTP/1.') ||
    statusLine.charCodeAt(8) !== SP ||
    statusLine.charCodeAt(12) > SP
  ) {
    return 'malformed status line';
  }
  const minor = statusLine.charCodeAt(7) - 48;
  const code = statusLine.slice(9, 12);
  if ((minor !== 0 && minor !== 1) || !DIGITS3.test(code) || code.charCodeAt(0) === 48) {
    return 'malformed status line';
  }
  out.versionMinor = minor;
  out.statusCode = Number(code);
  const h: OutgoingHttpHeaders = {};
  out.headers = h;
  out.upgradeValue = undefined;
  let connection = '';
  let te = '';
  let cl = '';
  let last = '';
  while (eol >= 0) {
    const start = eol + 1;
    eol = text.indexOf('\n', start);
    const line = trimCR(eol < 0 ? text.slice(start) : text.slice(start, eol));
    if (line.length === 0) continue;
    const first = line.charCodeAt(0);
    if (first === SP || first === TAB) {
      // obs-fold: a continuation of the previous header's value.
      const more = line.trim();
      if (INVALID_VALUE.test(more)) return 'invalid character in a header value';
      if (last !== '') appendFolded(h, last, more);
      continue;
    }
    last = '';
    const colon = line.indexOf(':');
    if (colon < 0) return 'header line without a colon';
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (!TOKEN.test(name)) return 'invalid header name';
    if (INVALID_VALUE.test(value)) return 'invalid character in a header value';
    const lower = name.toLowerCase();
    switch (lower) {
      case 'connection':
        connection = connection === '' ? value : `${connection},${value}`;
        continue;
      case 'transfer-encoding':
        te = te === '' ? value : `${te},${value}`;
        continue;
      case 'content-length':
        if (cl !== '' && cl !== value) return 'conflicting Content-Length';
        cl = value;
        break;
      case 'upgrade':
        out.upgradeValue = value;
        continue;
      case 'keep-alive':
      case 'proxy-connection':
      case 'proxy-authenticate':
      case 'proxy-authorization':
      case 'te':
      case 'trailer':
        continue;
    }
    last = lower;
    const existing = h[lower];
    if (typeof existing === 'string') h[lower] = [existing, value];
    else if (Array.isArray(existing)) existing.push(value);
    else h[lower] = value;
  }
  return finishHead(out, connection, te, cl);
}

function finishHead(out: ParsedHead, connection: string, te: string, cl: string): string | undefined {
  const h = out.headers;
  let close = false;
  let keepAlive = false;
  if (connection !== '') {
    for (const raw of connection.split(',')) {
      const token = raw.trim().toLowerCase();
      if (token === 'close') close = true;
      else if (token === 'keep-alive') keepAlive = true;
      else if (token !== '' && token !== 'upgrade') delete h[token];
    }
  }
  out.keepAlive = out.versionMinor === 1 ? !close : keepAlive && !close;
  if (te !== '') {
    // Both framings: a response-smuggling risk; refused as nginx and HAProxy do (RFC 9112 §6.3 allows it).
    if (cl !== '') return 'both Transfer-Encoding and Content-Length';
    // Anything but a final chunked reads to close.
    out.framing = CHUNKED_LAST.test(te) ? FRAMING_CHUNKED : FRAMING_CLOSE;
    return undefined;
  }
  if (cl !== '') {
    const n = parseContentLength(cl);
    if (n < 0) return 'invalid Content-Length';
    const text = String(n);
    if (h['content-length'] !== text) h['content-length'] = text;
    out.contentLength = n;
    out.framing = FRAMING_LENGTH;
    return undefined;
  }
  out.framing = FRAMING_CLOSE;
  return undefined;
}

function appendFolded(h: OutgoingHttpHeaders, name: string, more: string): void {
  const v = h[name];
  if (typeof v === 'string') h[name] = `${v} ${more}`;
  else if (Array.isArray(v) && v.length > 0) v[v.length - 1] = `${v[v.length - 1]} ${more}`;
}

/** `12` or `12, 12` (identical repeats joined by a proxy) → 12; anything else → -1. */
export function parseContentLength(value: string): number {
  let text = value;
  if (text.indexOf(',') >= 0) {
    const parts = text.split(',').map((p) => p.trim());
    if (parts.some((p) => p !== parts[0])) return -1;
    text = parts[0]!;
  }
  if (!/^\d{1,15}$/.test(text)) return -1;
  return Number(text);
}

function trimCR(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

/** RFC 9110 token: what a header name may contain. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What Node's `setHeader` refuses in a value: controls other than HTAB, DEL, chars above 0xFF. */
export const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const DIGITS3 = /^\d{3}$/;
const CHUNKED_LAST = /(^|,)\s*chunked\s*$/i;
const SP = 32;
const TAB = 9;
