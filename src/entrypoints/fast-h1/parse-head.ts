import type { IncomingHttpHeaders } from 'node:http';

/**
 * The strict request-head reader of the HTTP/1 fast path (docs/design/http1-fast-path.md). It accepts
 * only a head that is unambiguous and simple, and says `undefined` for anything else — malformed or merely
 * unusual — so that node's HTTP server, which then owns the connection, answers it as it always did.
 */

/** A request head the fast path serves: no body, no upgrade, no `Expect`. */
export interface FastHead {
  method: string;
  url: string;
  minor: 0 | 1;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  /** The client asked to close after this exchange (`Connection: close`; HTTP/1.0 without keep-alive). */
  close: boolean;
  /** `TE` names `chunked` (node answers an HTTP/1.0 client chunked then). */
  teChunked: boolean;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);

/** Node keeps the first of these when a request repeats them (`IncomingMessage`'s rules). */
const FIRST_WINS = new Set([
  'content-type',
  'content-length',
  'user-agent',
  'referer',
  'host',
  'authorization',
  'proxy-authorization',
  'if-modified-since',
  'if-unmodified-since',
  'from',
  'location',
  'max-forwards',
  'retry-after',
  'etag',
  'last-modified',
  'server',
  'age',
  'expires',
]);

/** Node's default `maxHeadersCount`: it drops header lines past it, so such heads are handed off. */
const MAX_HEADER_LINES = 2000;

// Character classes, by code (0–255): 1 = token (RFC 9110), 2 = target (unreserved, reserved but `#`,
// and `%`), 4 = field value (HTAB, visible ASCII, SP).
const CLASS = new Uint8Array(256);
for (let c = 0x21; c < 0x7f; c++) CLASS[c] = 4;
CLASS[0x20] = 4;
CLASS[0x09] = 4;
for (const ch of "!#$%&'*+-.^_`|~") CLASS[ch.charCodeAt(0)]! |= 1;
for (const ch of "-._~:/?[]@!$&'()*+,;=%") CLASS[ch.charCodeAt(0)]! |= 2;
for (let c = 48; c <= 57; c++) CLASS[c]! |= 3;
for (let c = 65; c <= 90; c++) CLASS[c]! |= 3;
for (let c = 97; c <= 122; c++) CLASS[c]! |= 3;

const CR = 13;
const LF = 10;
const SP = 32;
const HTAB = 9;
const COLON = 58;

/**
 * Where the head in `buf` ends (the index just past its blank line), -1 while it is incomplete, or -2
 * when the bytes already show it is not for the fast path (a bare LF, a NUL or another control byte
 * before the head's end).
 */
export function headEnd(buf: Buffer): number {
  const end = buf.indexOf('\r\n\r\n', 0, 'latin1');
  if (end !== -1) return end + 4;
  // Incomplete: a line end without CR, a CR without LF (or another control byte) means the head is for
  // node's parser, which answers it at once; so does a first line that is already complete and not a
  // request line (an SSH banner…), rather than waiting for a blank line that may never come.
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (c === LF ? i === 0 || buf[i - 1] !== CR : c < SP && c !== HTAB) {
      if (c !== CR) return -2;
      if (i + 1 < buf.length && buf[i + 1] !== LF) return -2;
    }
  }
  const lineEnd = buf.indexOf('\r\n', 0, 'latin1');
  if (lineEnd !== -1 && !requestLine(buf.toString('latin1', 0, lineEnd + 2))) return -2;
  return -1;
}

/** Whether `line` (ending with CRLF) is a request line the fast path would read. */
function requestLine(line: string): boolean {
  return parseHead(`${line}\r\n`) !== undefined;
}

/**
 * Reads the head `text` (latin1, ending with its blank line's CRLF CRLF). Undefined when the fast path
 * must not serve it: an unknown method or CONNECT, a target that is neither a plain path nor an absolute
 * `http(s)://` URL, a version other than HTTP/1.0 or 1.1, a header line that is not `token ":" OWS value
 * OWS`, obs-fold, a control character, `Transfer-Encoding`, a `Content-Length` other than one `0`,
 * `Upgrade` or `Connection: upgrade`, `Expect`, or more header lines than node keeps.
 */
export function parseHead(text: string): FastHead | undefined {
  const lineEnd = text.indexOf('\r\n');
  const sp1 = text.indexOf(' ');
  if (sp1 <= 0 || sp1 > lineEnd) return undefined;
  const method = text.slice(0, sp1);
  if (!METHODS.has(method)) return undefined;
  const sp2 = sp1 + 1 + targetLength(text, sp1 + 1);
  if (sp2 === sp1 + 1 || text.charCodeAt(sp2) !== SP || sp2 + 9 !== lineEnd) return undefined;
  if (!text.startsWith('HTTP/1.', sp2 + 1)) return undefined;
  const minorCode = text.charCodeAt(sp2 + 8);
  if (minorCode !== 48 && minorCode !== 49) return undefined;
  const url = text.slice(sp1 + 1, sp2);
  if (url.charCodeAt(0) !== 47 /* / */ && !absoluteHttp(url)) return undefined;
  const minor = minorCode === 49 ? 1 : 0;
  const head: FastHead = {
    method,
    url,
    minor,
    headers: {},
    rawHeaders: [],
    close: minor === 0,
    teChunked: false,
  };
  return readFields(text, lineEnd + 2, head) ? head : undefined;
}

/** Length of the request target starting at `from` (up to the first byte that cannot be in one). */
function targetLength(text: string, from: number): number {
  let i = from;
  while (i < text.length && (CLASS[text.charCodeAt(i)]! & 2) !== 0) i++;
  return i - from;
}

function absoluteHttp(url: string): boolean {
  const lower = url.slice(0, 8).toLowerCase();
  return lower.startsWith('http://') || lower.startsWith('https://');
}

/** Reads the header lines from `at` to the blank line into `head`; false when one is not simple. */
function readFields(text: string, at: number, head: FastHead): boolean {
  const headers = head.headers;
  const raw = head.rawHeaders;
  let pos = at;
  const last = text.length - 2; // the blank line's CRLF
  let lengthSeen = false;
  let connectionSeen = false;
  while (pos < last) {
    const eol = text.indexOf('\r\n', pos);
    let i = pos;
    while (i < eol && (CLASS[text.charCodeAt(i)]! & 1) !== 0) i++;
    if (i === pos || i === eol || text.charCodeAt(i) !== COLON) return false;
    const name = text.slice(pos, i);
    i++;
    while (i < eol && isOws(text.charCodeAt(i))) i++;
    let end = eol;
    while (end > i && isOws(text.charCodeAt(end - 1))) end--;
    for (let j = i; j < end; j++) if ((CLASS[text.charCodeAt(j)]! & 4) === 0) return false;
    const value = text.slice(i, end);
    pos = eol + 2;
    if (raw.length === MAX_HEADER_LINES * 2) return false;
    raw.push(name, value);
    const lower = name.toLowerCase();
    switch (lower) {
      case 'transfer-encoding':
      case 'upgrade':
      case 'expect':
      case '__proto__':
        return false;
      case 'content-length':
        if (lengthSeen || value !== '0') return false;
        lengthSeen = true;
        break;
      case 'connection':
        if (connectionSeen || !connectionTokens(value, head)) return false;
        connectionSeen = true;
        break;
      case 'te':
        if (/(^|[\s,])chunked($|[\s,;])/i.test(value)) head.teChunked = true;
        break;
    }
    addHeader(headers, lower, value);
  }
  return true;
}

function isOws(c: number): boolean {
  return c === SP || c === HTAB;
}

/** Applies a `Connection` value to `head.close`; false when it asks for an upgrade. */
function connectionTokens(value: string, head: FastHead): boolean {
  let close = false;
  let keepAlive = false;
  for (const part of value.split(',')) {
    const token = part.trim().toLowerCase();
    if (token === 'upgrade') return false;
    if (token === 'close') close = true;
    else if (token === 'keep-alive') keepAlive = true;
  }
  if (close) head.close = true;
  else if (keepAlive && head.minor === 0) head.close = false;
  return true;
}

/** Adds one header line as node's `IncomingMessage` does for repeats. */
function addHeader(headers: IncomingHttpHeaders, lower: string, value: string): void {
  const prev = headers[lower];
  // `constructor`, `toString`… are found on Object.prototype: a function there means no such header yet.
  if (prev === undefined || typeof prev === 'function') {
    headers[lower] = lower === 'set-cookie' ? [value] : value;
    return;
  }
  if (lower === 'set-cookie') (prev as string[]).push(value);
  else if (FIRST_WINS.has(lower)) return;
  else headers[lower] = `${prev}${lower === 'cookie' ? '; ' : ', '}${value}`;
}
