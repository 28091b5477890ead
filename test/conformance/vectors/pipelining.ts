import { CLOSE, type ClientVector, type Forwarded, H, show, vector } from './types.js';

/*
 * Several requests on one connection: pipelines of every length, mixed methods and framings, and what
 * follows an accepted request — a bad request, leftover bytes, `Connection: close`, HTTP/1.0, an
 * incomplete request. What was accepted is answered, in order; then the bad part gets its status
 * (400, or 408 once `readTimeout` passes) and the connection closes, as nginx does.
 */

const g = 'pipelining';
const keepGet = (path: string) => `GET ${path} HTTP/1.1\r\n${H}\r\n`;
const closeGet = (path: string) => `GET ${path} HTTP/1.1\r\n${H}${CLOSE}\r\n`;
const seen = (path: string): Forwarded => ['GET', path, ''];

function lengths(): ClientVector[] {
  const out: ClientVector[] = [];
  for (const n of [2, 3, 4, 5, 6, 8, 10, 16, 32, 50]) {
    const paths = Array.from({ length: n }, (_, i) => `/p${i}`);
    const send = paths.map((p, i) => (i === n - 1 ? closeGet(p) : keepGet(p))).join('');
    out.push(vector(g, `${n} pipelined GETs`, send, Array(n).fill(200), paths.map(seen)));
  }
  out.push(
    vector(
      g,
      'GET, POST with a length, POST chunked, HEAD, GET',
      `${keepGet('/1')}POST /2 HTTP/1.1\r\n${H}Content-Length: 3\r\n\r\nabcPOST /3 HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\nHEAD /4 HTTP/1.1\r\n${H}\r\n${closeGet('/5')}`,
      [200, 200, 200, 200, 200],
      [seen('/1'), ['POST', '/2', 'abc'], ['POST', '/3', 'de'], ['HEAD', '/4', ''], seen('/5')],
    ),
    vector(
      g,
      'a pipelined GET after HEAD (the HEAD answer has no body)',
      `HEAD /1 HTTP/1.1\r\n${H}\r\n${closeGet('/2')}`,
      [200, 200],
      [['HEAD', '/1', ''], seen('/2')],
    ),
  );
  return out;
}

/** Requests the parser refuses, pipelined after `k` good ones. */
const BAD: readonly (readonly [string, string])[] = [
  ['garbage', 'garbage\r\n\r\n'],
  ['a bad version', 'GET /x HTTP/9.9\r\n\r\n'],
  ['a header without a colon', `GET /x HTTP/1.1\r\n${H}Bad Header\r\n\r\n`],
  ['an unknown method', `FOO /x HTTP/1.1\r\n${H}\r\n`],
  ['binary bytes', '\x00\x01\x02\r\n\r\n'],
  ['a negative Content-Length', `POST /x HTTP/1.1\r\n${H}Content-Length: -1\r\n\r\n`],
  [
    'CL and TE together',
    `POST /x HTTP/1.1\r\n${H}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc`,
  ],
  ['a space before a colon', `GET /x HTTP/1.1\r\n${H}X-A : b\r\n\r\n`],
];

function badAfterGood(): ClientVector[] {
  const out: ClientVector[] = [];
  for (const k of [1, 2, 3, 4]) {
    for (const [label, bad] of BAD) {
      const paths = Array.from({ length: k }, (_, i) => `/g${i}`);
      out.push(
        vector(
          g,
          `${k} good then ${label}: answered, then 400`,
          paths.map(keepGet).join('') + bad,
          [...Array(k).fill(200), 400],
          paths.map(seen),
        ),
      );
    }
  }
  // Go refuses some requests after parsing them (two Host lines, 505): what was pipelined after is dropped.
  out.push(
    vector(
      g,
      'a good GET then two Host lines then a GET',
      `${keepGet('/1')}GET /2 HTTP/1.1\r\n${H}${H}\r\n${closeGet('/3')}`,
      [200, 400],
      [seen('/1')],
    ),
    vector(
      g,
      'a good GET then HTTP/2.0 then a GET',
      `${keepGet('/1')}GET /2 HTTP/2.0\r\n${H}\r\n${closeGet('/3')}`,
      [200, 505],
      [seen('/1')],
    ),
  );
  return out;
}

/** Bytes after a request that ends the connection. */
function afterTheEnd(): ClientVector[] {
  const out: ClientVector[] = [];
  const tails: readonly (readonly [string, string])[] = [
    ['a second request', closeGet('/2')],
    ['garbage', 'garbage\r\n\r\n'],
    ['binary bytes', '\x00\xff\x00\xff'],
    ['half a request', 'GET /2 HTTP/1.1\r\nHo'],
    ['a lone CRLF', '\r\n'],
  ];
  for (const [label, tail] of tails) {
    out.push(
      vector(
        g,
        `Connection: close then ${label}: the first is answered`,
        `${closeGet('/1')}${tail}`,
        [200],
        [seen('/1')],
      ),
      vector(
        g,
        `HTTP/1.0 then ${label}: the first is answered`,
        `GET /1 HTTP/1.0\r\n${H}\r\n${tail}`,
        [200],
        [seen('/1')],
      ),
      vector(
        g,
        `a POST with Connection: close then ${label}`,
        `POST /1 HTTP/1.1\r\n${H}Content-Length: 2\r\n${CLOSE}\r\nab${tail}`,
        [200],
        [['POST', '/1', 'ab']],
      ),
    );
  }
  out.push(
    vector(
      g,
      'HTTP/1.0 keep-alive then a GET',
      `GET /1 HTTP/1.0\r\n${H}Connection: keep-alive\r\n\r\n${closeGet('/2')}`,
      [200, 200],
      [seen('/1'), seen('/2')],
    ),
    vector(
      g,
      'Connection: keep-alive, close then a GET',
      `GET /1 HTTP/1.1\r\n${H}Connection: keep-alive, close\r\n\r\n${closeGet('/2')}`,
      [200],
      [seen('/1')],
    ),
    vector(
      g,
      'Connection: CLOSE (case) then a GET',
      `GET /1 HTTP/1.1\r\n${H}Connection: CLOSE\r\n\r\n${closeGet('/2')}`,
      [200],
      [seen('/1')],
    ),
  );
  return out;
}

/** Leftover body bytes and the TE look-alike findings of the issue. */
function leftovers(): ClientVector[] {
  const out: ClientVector[] = [];
  // `GET` alone is the start of a request line: it waits for the rest (408); CRLFs before a request are allowed.
  const after: readonly (readonly [string, number[]])[] = [
    ['x', [200, 400]],
    ['xyz', [200, 400]],
    ['xyz\r\n\r\n', [200, 400]],
    ['\x00', [200, 400]],
    ['\r\n\r\n', [200]], // empty lines between requests are allowed: then closed when idle
    ['GET', [200, 408]],
  ];
  for (const [extra, want] of after) {
    out.push(
      vector(
        g,
        `a body with ${show(extra)} left over: ${want.join(', ')}`,
        `POST /1 HTTP/1.1\r\n${H}Content-Length: 3\r\n\r\nabc${extra}`,
        want,
        [['POST', '/1', 'abc']],
      ),
    );
  }
  for (const lookalike of [
    'Transfer_Encoding: chunked',
    'TE: chunked',
    'Transfer-Encoding_: chunked',
    'X-Transfer-Encoding: chunked',
  ]) {
    out.push(
      vector(
        g,
        `Content-Length body, ${lookalike}, then a pipelined GET`,
        `POST /1 HTTP/1.1\r\n${H}Content-Length: 5\r\n${lookalike}\r\n\r\nhello${closeGet('/2')}`,
        [200, 200],
        [['POST', '/1', 'hello'], seen('/2')],
      ),
    );
  }
  return out;
}

/** Requests the client never finishes: answered 408 when `readTimeout` (5 s in the suite) passes. */
function incomplete(): ClientVector[] {
  return [
    vector(g, 'a head without its empty line: 408', `GET /1 HTTP/1.1\r\n${H}`, [408]),
    vector(g, 'half a request line: 408', 'GET /1 HT', [408]),
    vector(
      g,
      'a body shorter than its length: 408',
      `POST /1 HTTP/1.1\r\n${H}Content-Length: 10\r\n\r\nhello`,
      [408],
    ),
    vector(
      g,
      'a chunked body without its last chunk: 408',
      `POST /1 HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n`,
      [408],
    ),
    vector(
      g,
      'a good GET then half a request: 200 then 408',
      `${keepGet('/1')}GET /2 HTTP/1.1\r\n`,
      [200, 408],
      [seen('/1')],
    ),
    vector(g, 'a good GET then nothing: closed when idle', keepGet('/1'), [200], [seen('/1')]),
    vector(g, 'a connection that sends nothing is closed', '', []),
  ];
}

export const PIPELINING_VECTORS: readonly ClientVector[] = [
  ...lengths(),
  ...badAfterGood(),
  ...afterTheEnd(),
  ...leftovers(),
  ...incomplete(),
];
