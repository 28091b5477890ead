/**
 * Client-side vectors (issue 18, started): bytes a client sends on one connection, the statuses it must
 * get, in order, and the requests the server must receive (method, target, body), in order — exactly one
 * faithful request per accepted client request, or nothing. Run by `client-vectors.test.ts`.
 * Every vector's last request says `Connection: close`, or the connection is refused and closed.
 */
export interface ClientVector {
  readonly name: string;
  readonly send: string;
  readonly statuses: readonly number[];
  readonly received: readonly (readonly [method: string, target: string, body: string])[];
}

const H = 'Host: app.test\r\n';
const CLOSE = 'Connection: close\r\n';

export const CLIENT_VECTORS: readonly ClientVector[] = [
  {
    name: 'a plain GET',
    send: `GET /a HTTP/1.1\r\n${H}${CLOSE}\r\n`,
    statuses: [200],
    received: [['GET', '/a', '']],
  },
  {
    name: 'two pipelined GETs',
    send: `GET /a HTTP/1.1\r\n${H}\r\nGET /b HTTP/1.1\r\n${H}${CLOSE}\r\n`,
    statuses: [200, 200],
    received: [
      ['GET', '/a', ''],
      ['GET', '/b', ''],
    ],
  },
  {
    name: 'a Content-Length body',
    send: `POST /a HTTP/1.1\r\n${H}Content-Length: 5\r\n${CLOSE}\r\nhello`,
    statuses: [200],
    received: [['POST', '/a', 'hello']],
  },
  {
    name: 'a chunked body with an extension',
    send: `POST /a HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n${CLOSE}\r\n5;x=y\r\nhello\r\n0\r\n\r\n`,
    statuses: [200],
    received: [['POST', '/a', 'hello']],
  },
  {
    name: 'two Host lines with the same value (Go: 400)',
    send: `GET /a HTTP/1.1\r\n${H}${H}${CLOSE}\r\n`,
    statuses: [400],
    received: [],
  },
  {
    name: 'two Host lines with different values (Go: 400)',
    send: `GET /a HTTP/1.1\r\n${H}Host: other.test\r\n${CLOSE}\r\n`,
    statuses: [400],
    received: [],
  },
  {
    name: 'a Host with a space (Go: 400)',
    send: `GET /a HTTP/1.1\r\nHost: app test\r\n${CLOSE}\r\n`,
    statuses: [400],
    received: [],
  },
  {
    name: 'a Host with a slash (Go: 400)',
    send: `GET /a HTTP/1.1\r\nHost: app.test/x\r\n${CLOSE}\r\n`,
    statuses: [400],
    received: [],
  },
  {
    name: 'HTTP/2.0 in an HTTP/1 request line (Go: 505)',
    send: `GET /a HTTP/2.0\r\n${H}${CLOSE}\r\n`,
    statuses: [505],
    received: [],
  },
  {
    name: 'Transfer-Encoding: gzip, chunked (Go and nginx: 501)',
    send: `POST /a HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n${CLOSE}\r\n5\r\nhello\r\n0\r\n\r\n`,
    statuses: [501],
    received: [],
  },
  {
    name: 'Transfer-Encoding: identity, chunked (Go and nginx: 501)',
    send: `POST /a HTTP/1.1\r\n${H}Transfer-Encoding: identity, chunked\r\n${CLOSE}\r\n5\r\nhello\r\n0\r\n\r\n`,
    statuses: [501],
    received: [],
  },
  {
    name: 'HTTP/1.0 with Expect: 100-continue gets no 100 Continue',
    send: `POST /a HTTP/1.0\r\n${H}Expect: 100-continue\r\nContent-Length: 5\r\n\r\nhello`,
    statuses: [200],
    received: [['POST', '/a', 'hello']],
  },
  {
    name: '%00 in the path (a valid escape for Go)',
    send: `GET /a%00b HTTP/1.1\r\n${H}${CLOSE}\r\n`,
    statuses: [200],
    received: [['GET', '/a%00b', '']],
  },
];
