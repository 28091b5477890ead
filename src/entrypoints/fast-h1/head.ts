import {
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
  validateHeaderName,
  validateHeaderValue,
} from 'node:http';
import { SwitchyardError } from '../../core/errors.js';
import { INVALID_VALUE, TOKEN } from '../../proxy/response-head.js';

/** Building a response head as node's `ServerResponse` does (src/entrypoints/fast-h1/response.ts). */

type Value = OutgoingHttpHeader;

const CHUNKED_LAST = /(?:^|,)\s*chunked\s*$/i;
const CLOSE_TOKEN = /(?:^|,)\s*close\s*(?:,|$)/i;

let dateSecond = -1;
let dateText = '';
/** `Date` for the current second, as node's server caches it. */
export function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

/** The head being built and what its fields said. */
export class HeadState {
  date = false;
  connection = false;
  keepAlive = false;
  length = false;
  te = false;
  trailer = false;
  /** `Connection` says `close`: the connection ends after this response. */
  closeToken = false;
  /** `Transfer-Encoding` ends with `chunked`: the body is framed in chunks. */
  teChunked = false;

  constructor(public text: string) {}

  add(name: string, value: Value, validate: boolean): void {
    if (validate) {
      checkName(name);
      checkValue(name, value);
    }
    if (Array.isArray(value)) {
      if (value.length > 1 && name.length === 6 && name.toLowerCase() === 'cookie') {
        this.line(name, value.join('; '));
      } else {
        for (const v of value) this.line(name, String(v));
      }
      return;
    }
    this.line(name, String(value));
  }

  private line(name: string, value: string): void {
    this.text += `${name}: ${value}\r\n`;
    const n = name.length;
    if (n !== 4 && n !== 7 && n !== 10 && n !== 14 && n !== 17) return;
    const lower = name.toLowerCase();
    switch (lower) {
      case 'date':
        this.date = true;
        return;
      case 'trailer':
        this.trailer = true;
        return;
      case 'keep-alive':
        this.keepAlive = true;
        return;
      case 'connection':
        this.connection = true;
        break;
      case 'content-length':
        this.length = true;
        return;
      case 'transfer-encoding':
        this.te = true;
        break;
      default:
        return;
    }
    if (lower === 'connection') {
      if (CLOSE_TOKEN.test(value)) this.closeToken = true;
    } else if (CHUNKED_LAST.test(value)) this.teChunked = true;
  }
}

export function checkName(name: string): void {
  if (!TOKEN.test(name)) validateHeaderName(name);
}

export function checkValue(name: string, value: unknown): void {
  if (value === undefined) validateHeaderValue(name, value as unknown as string);
  if (Array.isArray(value)) {
    for (const v of value) checkValue(name, v);
    return;
  }
  if (typeof value === 'string' ? INVALID_VALUE.test(value) : typeof value !== 'number') {
    validateHeaderValue(name, value as unknown as string);
    throw new SwitchyardError('INTERNAL', `invalid value for header ${name}`);
  }
}

export function headersSentError(what: string): Error {
  const err = new Error(`Cannot ${what} headers after they are sent to the client`);
  (err as NodeJS.ErrnoException).code = 'ERR_HTTP_HEADERS_SENT';
  return err;
}

/** Trailer fields as lines (`name: value` CRLF), validated as node validates them. */
export function trailerLines(headers: OutgoingHttpHeaders): string {
  let text = '';
  for (const key in headers) {
    const value = headers[key];
    if (value === undefined) continue;
    checkName(key);
    checkValue(key, value);
    text += `${key}: ${String(value)}\r\n`;
  }
  return text;
}

/** A `103 Early Hints` head for `hints` (undefined without a `link`), as node's `writeEarlyHints`. */
export function earlyHintsHead(hints: Record<string, string | string[]>): string | undefined {
  const link = hints.link;
  if (link === undefined || link === null) return undefined;
  const value = Array.isArray(link) ? link.join(', ') : String(link);
  if (value.length === 0) return undefined;
  checkValue('link', value);
  let head = `HTTP/1.1 103 Early Hints\r\nLink: ${value}\r\n`;
  for (const key in hints) {
    if (key === 'link') continue;
    checkName(key);
    checkValue(key, hints[key]);
    head += `${key}: ${String(hints[key])}\r\n`;
  }
  return `${head}\r\n`;
}
