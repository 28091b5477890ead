import type { IncomingHttpHeaders } from 'node:http';

/**
 * Request fields that matchers read and that need more than a property access: query parameters (parsed
 * the way Go's `url.ParseQuery` does) and header values (every value of a header, as Go's `Header[k]`).
 */

/** Query parameters: decoded key → decoded values in order. */
export type QueryValues = ReadonlyMap<string, readonly string[]>;

const EMPTY: QueryValues = new Map();

// Matching is synchronous, so one cached parse keyed by the raw string serves every Query matcher of a
// request (and the next requests carrying the same query) without per-request bookkeeping.
let cachedRaw = '';
let cachedValues: QueryValues = EMPTY;

/** The parsed query string; parsed at most once per distinct raw query, only when a Query matcher runs. */
export function queryValues(rawQuery: string): QueryValues {
  if (rawQuery === cachedRaw) return cachedValues;
  cachedValues = parseQuery(rawQuery);
  cachedRaw = rawQuery;
  return cachedValues;
}

/**
 * Go's `url.ParseQuery`: `&`-separated pairs, a pair without `=` has the empty value, pairs containing `;`
 * or a bad escape are skipped, `+` is a space.
 */
export function parseQuery(raw: string): QueryValues {
  if (raw === '') return EMPTY;
  const values = new Map<string, string[]>();
  let start = 0;
  while (start <= raw.length) {
    let end = raw.indexOf('&', start);
    if (end === -1) end = raw.length;
    const pair = raw.slice(start, end);
    start = end + 1;
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const key = unescapeQuery(eq === -1 ? pair : pair.slice(0, eq));
    const value = unescapeQuery(eq === -1 ? '' : pair.slice(eq + 1));
    if (key === undefined || value === undefined) continue;
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  return values;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Go's `url.QueryUnescape`; undefined for a malformed escape. */
export function unescapeQuery(s: string): string | undefined {
  if (s.indexOf('%') === -1 && s.indexOf('+') === -1) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 43 /* + */) {
      out += ' ';
      i++;
    } else if (c === 37 /* % */) {
      // Decode a run of escapes together so multi-byte UTF-8 sequences survive.
      const bytes: number[] = [];
      while (i < s.length && s.charCodeAt(i) === 37) {
        const hi = hexValue(s.charCodeAt(i + 1));
        const lo = hexValue(s.charCodeAt(i + 2));
        if (hi < 0 || lo < 0) return undefined;
        bytes.push(hi * 16 + lo);
        i += 3;
      }
      out += Buffer.from(bytes).toString('utf8');
    } else {
      out += s[i];
      i++;
    }
  }
  return out;
}

/**
 * Calls `test` on each value of header `name` (lowercase) until it returns true.
 *
 * Node joins repeated header lines into one comma-separated string; when that string does not satisfy
 * `test` and the raw headers show the field on several lines, each line is tried on its own, so
 * `Header(k, v)` matches any value as in Go while a single line containing a comma stays one value.
 */
export function someHeaderValue(
  headers: IncomingHttpHeaders,
  rawHeaders: readonly string[] | undefined,
  name: string,
  test: (value: string) => boolean,
): boolean {
  const value = headers[name];
  if (value === undefined) return false;
  if (typeof value !== 'string') {
    for (let i = 0; i < value.length; i++) if (test(value[i]!)) return true;
    return false;
  }
  if (test(value)) return true;
  if (rawHeaders === undefined || value.indexOf(',') === -1) return false;
  let lines = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (sameName(rawHeaders[i]!, name)) lines++;
  if (lines < 2) return false;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (sameName(rawHeaders[i]!, name) && test(rawHeaders[i + 1]!)) return true;
  }
  return false;
}

/** ASCII case-insensitive comparison against an already lowercase name, without allocating. */
function sameName(raw: string, lower: string): boolean {
  if (raw.length !== lower.length) return false;
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}
