import { CLOSE, type ClientVector, type Forwarded, H, show, vector } from './types.js';

/*
 * Chunked bodies, generated: chunk-size forms (case, leading zeros, overflow, signs, spaces),
 * extensions, chunk data longer or shorter than its size, the last chunk and trailers. A malformed
 * chunk is answered 400 (the server may have seen the start of the body, never a complete request).
 */

const post = (chunks: string) =>
  `POST /c HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n${CLOSE}\r\n${chunks}`;
const got = (body: string): Forwarded[] => [['POST', '/c', body]];

/** [label, chunked bytes, body the server receives, or undefined when refused with 400] */
const CHUNKS: readonly (readonly [string, string, string?])[] = [
  ['one chunk', '5\r\nhello\r\n0\r\n\r\n', 'hello'],
  ['three chunks', '1\r\na\r\n2\r\nbc\r\n3\r\ndef\r\n0\r\n\r\n', 'abcdef'],
  ['an empty body', '0\r\n\r\n', ''],
  ['uppercase hex', 'A\r\n0123456789\r\n0\r\n\r\n', '0123456789'],
  ['lowercase hex', 'a\r\n0123456789\r\n0\r\n\r\n', '0123456789'],
  ['leading zeros', '0005\r\nhello\r\n0\r\n\r\n', 'hello'],
  ['a last chunk 000', '5\r\nhello\r\n000\r\n\r\n', 'hello'],
  ['an extension', '5;a=b\r\nhello\r\n0\r\n\r\n', 'hello'],
  ['an extension without value', '5;a\r\nhello\r\n0\r\n\r\n', 'hello'],
  ['a quoted extension', '5;a="b c"\r\nhello\r\n0\r\n\r\n', 'hello'],
  ['two extensions', '5;a=b;c=d\r\nhello\r\n0\r\n\r\n', 'hello'],
  ['an extension on the last chunk', '5\r\nhello\r\n0;x=y\r\n\r\n', 'hello'],
  ['a 4 KiB extension', `5;a=${'x'.repeat(4096)}\r\nhello\r\n0\r\n\r\n`, 'hello'],
  ['a trailer', '5\r\nhello\r\n0\r\nX-T: v\r\n\r\n', 'hello'],
  ['two trailers', '5\r\nhello\r\n0\r\nX-T: v\r\nX-U: w\r\n\r\n', 'hello'],
  ['a Content-Length trailer (refused by Go too)', '5\r\nhello\r\n0\r\nContent-Length: 50\r\n\r\n'],
  [
    'a Transfer-Encoding trailer (refused by Go too)',
    '5\r\nhello\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n',
  ],
  ['a trailer with a bad name', '5\r\nhello\r\n0\r\nX T: v\r\n\r\n'],
  ['a trailer with a NUL', '5\r\nhello\r\n0\r\nX-T: a\x00b\r\n\r\n'],
  ['a space before the size CRLF', '5 \r\nhello\r\n0\r\n\r\n'],
  ['a tab before the size CRLF', '5\t\r\nhello\r\n0\r\n\r\n'],
  ['a space before the extension', '5 ;a=b\r\nhello\r\n0\r\n\r\n'],
  ['a leading space in the size', ' 5\r\nhello\r\n0\r\n\r\n'],
  ['0x prefix', '0x5\r\nhello\r\n0\r\n\r\n'],
  ['a minus sign', '-5\r\nhello\r\n0\r\n\r\n'],
  ['a plus sign', '+5\r\nhello\r\n0\r\n\r\n'],
  ['a non-hex size', 'g\r\nhello\r\n0\r\n\r\n'],
  ['an empty size line', '\r\nhello\r\n0\r\n\r\n'],
  ['a size that overflows 64 bits', 'ffffffffffffffffff\r\nhello\r\n0\r\n\r\n'],
  ['a size of 2^64', '10000000000000000\r\nhello\r\n0\r\n\r\n'],
  ['a size of 2^64 + 5 (wraps to 5)', '10000000000000005\r\nhello\r\n0\r\n\r\n'],
  ['data longer than the size', '3\r\nhello\r\n0\r\n\r\n'],
  ['no CRLF after the data', '5\r\nhello0\r\n\r\n'],
  ['a bare LF after the data', '5\r\nhello\n0\r\n\r\n'],
  ['a bare LF after the size', '5\nhello\r\n0\r\n\r\n'],
  ['a bare CR after the size', '5\rhello\r\n0\r\n\r\n'],
  ['a NUL in the size', '5\x00\r\nhello\r\n0\r\n\r\n'],
  ['a bare LF ending the last chunk', '5\r\nhello\r\n0\n\n'],
  ['an extension with a bare CR', '5;a=\rb\r\nhello\r\n0\r\n\r\n'],
  ['an extension with a control byte', '5;a=\x01\r\nhello\r\n0\r\n\r\n'],
];

function chunkVectors(): ClientVector[] {
  return CHUNKS.map(([label, bytes, body]) =>
    body === undefined
      ? vector('chunked bodies', `${label} (${show(bytes)}): 400`, post(bytes), [400])
      : vector('chunked bodies', label, post(bytes), [200], got(body)),
  );
}

const HIDDEN = `GET /hidden HTTP/1.1\r\n${H}\r\n`;

/** Chunked bodies followed by a pipelined request: the second request must be exactly the second. */
function chunkSmuggling(): ClientVector[] {
  const g = 'chunked bodies';
  const next = `GET /next2 HTTP/1.1\r\n${H}${CLOSE}\r\n`;
  const keep = (bytes: string) => `POST /c HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n${bytes}${next}`;
  return [
    vector(
      g,
      'a chunked body then a pipelined GET',
      keep('5\r\nhello\r\n0\r\n\r\n'),
      [200, 200],
      [
        ['POST', '/c', 'hello'],
        ['GET', '/next2', ''],
      ],
    ),
    vector(
      g,
      'a request hidden in chunk data stays data',
      keep(`${HIDDEN.length.toString(16)}\r\n${HIDDEN}\r\n0\r\n\r\n`),
      [200, 200],
      [
        ['POST', '/c', HIDDEN],
        ['GET', '/next2', ''],
      ],
    ),
    vector(
      g,
      'a request hidden in a trailer section: refused',
      keep('5\r\nhello\r\n0\r\nGET /hidden HTTP/1.1\r\n\r\n'),
      [400],
    ),
  ];
}

export const CHUNKED_VECTORS: readonly ClientVector[] = [...chunkVectors(), ...chunkSmuggling()];
