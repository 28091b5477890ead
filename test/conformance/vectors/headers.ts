import { CLOSE, type ClientVector, get, H, show, vector } from './types.js';

/*
 * Header lines, generated: every separator and control byte in a name and in a value, line shapes
 * (space before the colon, no colon, empty name, obs-fold, bare CR or LF), sizes below the limit, and
 * the Host header in every shape Go refuses or accepts.
 */

const OK: readonly ['GET', string, ''][] = [['GET', '/h', '']];

/** Bytes that cannot appear in a header name (token): each is refused with 400. */
const NAME_BYTES = [
  '(',
  ')',
  '<',
  '>',
  '@',
  ',',
  ';',
  '\\',
  '"',
  '/',
  '[',
  ']',
  '?',
  '=',
  '{',
  '}',
  ' ',
  '\t',
  '\x00',
  '\x01',
  '\x08',
  '\x0b',
  '\x0c',
  '\x1f',
  '\x7f',
  '\x80',
  '\xe9',
  '\xff',
];

function nameVectors(): ClientVector[] {
  const g = 'headers: names';
  const out = NAME_BYTES.map((b) =>
    vector(g, `${show(b)} in a name: refused`, get('/h', `X-A${b}B: v\r\n`), [400]),
  );
  out.push(
    vector(g, 'a name of token punctuation (accepted)', get('/h', "X-!#$%&'*+.^_`|~: v\r\n"), [200], OK),
    vector(g, 'a space before the colon: refused', get('/h', 'X-A : v\r\n'), [400]),
    vector(g, 'an empty name: refused', get('/h', ': v\r\n'), [400]),
    vector(g, 'a line without a colon: refused', get('/h', 'X-A v\r\n'), [400]),
    vector(g, 'a line that is only a space: refused', get('/h', ' \r\n'), [400]),
    vector(g, 'a 16 KiB name (under the 1 MiB limit)', get('/h', `X-${'n'.repeat(16384)}: v\r\n`), [200], OK),
  );
  return out;
}

/** Bytes in a header value: [byte, accepted]. HTAB, SP, visible ASCII and obs-text are allowed. */
const VALUE_BYTES: readonly (readonly [string, boolean])[] = [
  ['\t', true],
  ['!', true],
  ['~', true],
  ['\x80', true],
  ['\xff', true],
  // Every control byte but HTAB (CR and LF have their own vectors), and DEL.
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i))
    .filter((b) => b !== '\t' && b !== '\r' && b !== '\n')
    .map((b) => [b, false] as const),
  ['\x7f', false],
];

function valueVectors(): ClientVector[] {
  const g = 'headers: values';
  const out: ClientVector[] = [];
  for (const [b, ok] of VALUE_BYTES) {
    out.push(
      ok
        ? vector(g, `${show(b)} inside a value`, get('/h', `X-A: a${b}b\r\n`), [200], OK)
        : vector(g, `${show(b)} inside a value: refused`, get('/h', `X-A: a${b}b\r\n`), [400]),
    );
  }
  out.push(
    vector(g, 'a bare CR inside a value: refused', get('/h', 'X-A: a\rb\r\n'), [400]),
    vector(g, 'a bare CR ending a line: refused', get('/h', 'X-A: a\r\rX-B: b\r\n'), [400]),
    vector(g, 'a bare LF ending a header line: refused', get('/h', 'X-A: a\nX-B: b\r\n'), [400]),
    vector(
      g,
      'a bare CR before a smuggled header: refused',
      get('/h', 'X-A: a\rTransfer-Encoding: chunked\r\n'),
      [400],
    ),
    vector(g, 'obs-fold (a continuation line): refused', get('/h', 'X-A: a\r\n b\r\n'), [400]),
    vector(g, 'obs-fold with a tab: refused', get('/h', 'X-A: a\r\n\tb\r\n'), [400]),
    vector(g, 'an empty value', get('/h', 'X-A:\r\n'), [200], OK),
    vector(g, 'a value of spaces only', get('/h', 'X-A:    \r\n'), [200], OK),
    vector(g, 'a 64 KiB value (under the limit)', get('/h', `X-A: ${'v'.repeat(65536)}\r\n`), [200], OK),
    vector(g, '500 headers', get('/h', 'X-N: v\r\n'.repeat(500)), [200], OK),
    vector(
      g,
      'a header after the empty line is body-less garbage: refused',
      `GET /h HTTP/1.1\r\n${H}\r\nX-A: b\r\n\r\n`,
      [200, 400],
      OK,
    ),
  );
  return out;
}

/** Host values: [label, header lines (without Host when ''), status]. */
const HOSTS: readonly (readonly [string, string, number])[] = [
  ['a plain host', 'Host: app.test', 200],
  ['a host with a port', 'Host: app.test:8080', 200],
  ['an uppercase host', 'Host: APP.TEST', 200],
  ['a trailing dot', 'Host: app.test.', 200],
  ['an IPv4 host', 'Host: 127.0.0.1', 200],
  ['an IPv6 literal', 'Host: [::1]:80', 200],
  ['an empty Host (valid for Go)', 'Host: ', 200],
  ['Host without a space', 'Host:app.test', 200],
  ['host in lowercase name', 'host: app.test', 200],
  ['HOST in uppercase name', 'HOST: app.test', 200],
  ['no Host on HTTP/1.1 (Go: 400)', '', 400],
  ['two equal Host lines (Go: 400)', 'Host: app.test\r\nHost: app.test', 400],
  ['two different Host lines (Go: 400)', 'Host: app.test\r\nHost: evil.test', 400],
  ['Host and host (Go: 400)', 'Host: app.test\r\nhost: evil.test', 400],
  ['an empty Host then a real one (Go: 400)', 'Host: \r\nHost: app.test', 400],
  ['a Host with a space (Go: 400)', 'Host: app test', 400],
  ['a Host with a slash (Go: 400)', 'Host: app.test/x', 400],
  ['a Host with userinfo (Go: 400)', 'Host: user@app.test', 400],
  ['a Host with a ? (Go: 400)', 'Host: app.test?x', 400],
  ['a Host with a # (Go: 400)', 'Host: app.test#x', 400],
  ['a Host with a backslash (Go: 400)', 'Host: app.test\\x', 400],
  ['a Host with a quote (Go: 400)', 'Host: "app.test"', 400],
  ['a Host with a non-ASCII byte (Go: 400)', 'Host: \xe9.test', 400],
  ['a Host with a NUL: refused', 'Host: app\x00.test', 400],
  ['a 4 KiB Host', `Host: ${'a'.repeat(4096)}.test`, 200],
];

function hostVectors(): ClientVector[] {
  return HOSTS.map(([label, line, status]) =>
    vector(
      'headers: Host',
      label,
      `GET /h HTTP/1.1\r\n${line === '' ? '' : `${line}\r\n`}${CLOSE}\r\n`,
      [status],
      status === 200 ? OK : [],
    ),
  );
}

/** Host on HTTP/1.0, where it may be missing. */
function http10Hosts(): ClientVector[] {
  const g = 'headers: Host';
  return [
    vector(g, 'no Host on HTTP/1.0', 'GET /h HTTP/1.0\r\n\r\n', [200], OK),
    vector(g, 'two Host lines on HTTP/1.0 (Go: 400)', `GET /h HTTP/1.0\r\n${H}${H}\r\n`, [400]),
  ];
}

export const HEADER_VECTORS: readonly ClientVector[] = [
  ...nameVectors(),
  ...valueVectors(),
  ...hostVectors(),
  ...http10Hosts(),
];
