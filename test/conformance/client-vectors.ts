import { CHUNKED_VECTORS } from './vectors/chunked.js';
import { FRAMING_VECTORS } from './vectors/framing.js';
import { HEADER_VECTORS } from './vectors/headers.js';
import { MISC_VECTORS } from './vectors/misc.js';
import { PIPELINING_VECTORS } from './vectors/pipelining.js';
import { REQUEST_LINE_VECTORS } from './vectors/request-line.js';
import { TARGET_VECTORS } from './vectors/targets.js';
import type { ClientVector } from './vectors/types.js';

export type { ClientVector } from './vectors/types.js';

/**
 * Client-side vectors (issue 18): bytes a client sends on one connection, the statuses it must get, in
 * order, and the requests the server must receive (method, target, body), in order — exactly one
 * faithful request per accepted client request, or nothing. Run by `client-vectors.test.ts`; the groups
 * are generated in `vectors/*.ts`. These first ones are the issue's findings, kept as they were written.
 */
const H = 'Host: app.test\r\n';
const CLOSE = 'Connection: close\r\n';

const FINDINGS: readonly ClientVector[] = [
  {
    group: 'issue 18 findings',
    name: 'a plain GET',
    send: `GET /a HTTP/1.1\r\n${H}${CLOSE}\r\n`,
    statuses: [200],
    received: [['GET', '/a', '']],
  },
  {
    group: 'issue 18 findings',
    name: 'two pipelined GETs',
    send: `GET /a HTTP/1.1\r\n${H}\r\nGET /b HTTP/1.1\r\n${H}${CLOSE}\r\n`,
    statuses: [200, 200],
    received: [
      ['GET', '/a', ''],
      ['GET', '/b', ''],
    ],
  },
  {
    group: 'issue 18 findings',
    name: 'a Content-Length body',
    send: `POST /a HTTP/1.1\r\n${H}Content-Length: 5\r\n${CLOSE}\r\nhello`,
    statuses: [200],
    received: [['POST', '/a', 'hello']],
  },
  {
    group: 'issue 18 findings',
    name: 'a chunked body with an extension',
    send: `POST /a HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n${CLOSE}\r\n5;x=y\r\nhello\r\n0\r\n\r\n`,
    statuses: [200],
    received: [['POST', '/a', 'hello']],
  },
  {
    group: 'issue 18 findings',
    name: 'two Host lines with the same value (Go: 400)',
    send: `GET /a HTTP/1.1\r\n${H}${H}${CLOSE}\r\n`,
    statuses: [400],
    received: [],
  },
  {
    group: 'issue 18 findings',
    name: 'two Host lines with different values (Go: 400)',
    send: `GET /a HTTP/1.1\r\n${H}Host: other.test\r\n${CLOSE}\r\n`,
    statuses: [400],
    received: [],
  },
  {
    group: 'issue 18 findings',
    name: 'a Host with a space (Go: 400)',
    send: `GET /a HTTP/1.1\r\nHost: app test\r\n${CLOSE}\r\n`,
    statuses: [400],
    received: [],
  },
  {
    group: 'issue 18 findings',
    name: 'a Host with a slash (Go: 400)',
    send: `GET /a HTTP/1.1\r\nHost: app.test/x\r\n${CLOSE}\r\n`,
    statuses: [400],
    received: [],
  },
  {
    group: 'issue 18 findings',
    name: 'HTTP/2.0 in an HTTP/1 request line (Go: 505)',
    send: `GET /a HTTP/2.0\r\n${H}${CLOSE}\r\n`,
    statuses: [505],
    received: [],
  },
  {
    group: 'issue 18 findings',
    name: 'Transfer-Encoding: gzip, chunked (Go and nginx: 501)',
    send: `POST /a HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n${CLOSE}\r\n5\r\nhello\r\n0\r\n\r\n`,
    statuses: [501],
    received: [],
  },
  {
    group: 'issue 18 findings',
    name: 'Transfer-Encoding: identity, chunked (Go and nginx: 501)',
    send: `POST /a HTTP/1.1\r\n${H}Transfer-Encoding: identity, chunked\r\n${CLOSE}\r\n5\r\nhello\r\n0\r\n\r\n`,
    statuses: [501],
    received: [],
  },
  {
    group: 'issue 18 findings',
    name: 'HTTP/1.0 with Expect: 100-continue gets no 100 Continue',
    send: `POST /a HTTP/1.0\r\n${H}Expect: 100-continue\r\nContent-Length: 5\r\n\r\nhello`,
    statuses: [200],
    received: [['POST', '/a', 'hello']],
  },
  {
    group: 'issue 18 findings',
    name: '%00 in the path (a valid escape for Go)',
    send: `GET /a%00b HTTP/1.1\r\n${H}${CLOSE}\r\n`,
    statuses: [200],
    received: [['GET', '/a%00b', '']],
  },
];

export const CLIENT_VECTORS: readonly ClientVector[] = [
  ...FINDINGS,
  ...FRAMING_VECTORS,
  ...CHUNKED_VECTORS,
  ...REQUEST_LINE_VECTORS,
  ...HEADER_VECTORS,
  ...TARGET_VECTORS,
  ...PIPELINING_VECTORS,
  ...MISC_VECTORS,
];
