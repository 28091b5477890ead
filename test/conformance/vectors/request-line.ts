import { CLOSE, type ClientVector, H, show, vector } from './types.js';

/*
 * The request line, generated: methods (those the HTTP/1 parser knows, unknown tokens, non-tokens), with
 * and without a body; protocol versions; separators and line ends; HTTP/0.9; request-target forms.
 */

const KNOWN_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'PATCH',
  'TRACE',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'REPORT',
  'SEARCH',
  'PURGE',
  'LINK',
  'UNLINK',
  'QUERY',
  'ACL',
  'BIND',
  'REBIND',
  'UNBIND',
  'MKACTIVITY',
  'CHECKOUT',
  'MERGE',
  'NOTIFY',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'MKCALENDAR',
];
/** Methods Node's HTTP/1 parser does not know, and non-tokens: 400 (Go forwards any token: listed as a difference). */
const UNKNOWN_METHODS = ['FOO', 'BREW', 'get', 'Get', 'G@T', 'GE T', 'GET\x00', 'GET/', '\x01GET', 'GÉT'];

function methodVectors(): ClientVector[] {
  const out: ClientVector[] = [];
  for (const m of KNOWN_METHODS) {
    out.push(
      vector('request line: methods', `${m}`, `${m} /m HTTP/1.1\r\n${H}${CLOSE}\r\n`, [200], [[m, '/m', '']]),
    );
    if (m !== 'HEAD') {
      out.push(
        vector(
          'request line: methods',
          `${m} with a body`,
          `${m} /m HTTP/1.1\r\n${H}Content-Length: 3\r\n${CLOSE}\r\nabc`,
          [200],
          [[m, '/m', 'abc']],
        ),
      );
    }
  }
  for (const m of UNKNOWN_METHODS) {
    out.push(
      vector('request line: methods', `${show(m)}: refused`, `${m} /m HTTP/1.1\r\n${H}${CLOSE}\r\n`, [400]),
    );
  }
  out.push(
    vector('request line: methods', 'an empty method: refused', ` /m HTTP/1.1\r\n${H}${CLOSE}\r\n`, [400]),
  );
  // CONNECT asks for a tunnel, which an HTTP entrypoint does not open (TCP routers do): 405, as nginx.
  const connect = (target: string, host: string) => `CONNECT ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
  out.push(
    vector(
      'request line: methods',
      'CONNECT to an authority: 405',
      connect('app.test:443', 'app.test:443'),
      [405],
    ),
    vector('request line: methods', 'CONNECT to a path: 405', connect('/m', 'app.test'), [405]),
    vector(
      'request line: methods',
      'CONNECT followed by tunnel bytes: 405, nothing relayed',
      `${connect('app.test:80', 'app.test:80')}GET /smuggled HTTP/1.1\r\n${H}\r\n`,
      [405],
    ),
    vector(
      'request line: methods',
      'CONNECT after a pipelined GET: 200, then 405',
      `GET /m HTTP/1.1\r\n${H}\r\n${connect('app.test:443', 'app.test:443')}`,
      [200, 405],
      [['GET', '/m', '']],
    ),
  );
  return out;
}

/** [label, version text, expected status, served] */
const VERSIONS: readonly (readonly [string, string, number])[] = [
  ['HTTP/1.1', 'HTTP/1.1', 200],
  ['HTTP/1.0', 'HTTP/1.0', 200],
  ['HTTP/2.0 (Go: 505)', 'HTTP/2.0', 505],
  ['HTTP/3.0', 'HTTP/3.0', 400],
  ['HTTP/0.9 with a version (Go: 505)', 'HTTP/0.9', 505],
  ['HTTP/1.2', 'HTTP/1.2', 400],
  ['HTTP/1.10', 'HTTP/1.10', 400],
  ['HTTP/11', 'HTTP/11', 400],
  ['HTTP/1', 'HTTP/1', 400],
  ['HTTP/', 'HTTP/', 400],
  ['http/1.1', 'http/1.1', 400],
  ['HTTPS/1.1', 'HTTPS/1.1', 400],
  ['HTTP/1.1 and a trailing space', 'HTTP/1.1 ', 400],
  ['HTTP/1.1 and trailing text', 'HTTP/1.1 x', 400],
  ['HTTP/+1.1', 'HTTP/+1.1', 400],
  ['HTTP/1.1 with a NUL', 'HTTP/1.1\x00', 400],
  ['HTTP / 1.1', 'HTTP / 1.1', 400],
];

function versionVectors(): ClientVector[] {
  return VERSIONS.map(([label, version, status]) =>
    vector(
      'request line: versions',
      label,
      `GET /v ${version}\r\n${H}${CLOSE}\r\n`,
      [status],
      status === 200 ? [['GET', '/v', '']] : [],
    ),
  );
}

/** Separators and line ends of the request line. */
const LINES: readonly (readonly [string, string, number])[] = [
  ['a tab after the method', 'GET\t/l HTTP/1.1', 400],
  ['a tab before the version', 'GET /l\tHTTP/1.1', 400],
  ['a leading space', ' GET /l HTTP/1.1', 400],
  ['a vertical tab separator', 'GET\x0b/l HTTP/1.1', 400],
  ['a NUL separator', 'GET\x00/l HTTP/1.1', 400],
  ['no target', 'GET HTTP/1.1', 400],
  ['no version (HTTP/0.9 form): 505, Go 400', 'GET /l', 505],
  ['only a method', 'GET', 400],
  ['a bare CR inside', 'GET /l\rHTTP/1.1', 400],
];

function lineVectors(): ClientVector[] {
  const g = 'request line: shape';
  const out = LINES.map(([label, line, status]) => vector(g, label, `${line}\r\n${H}${CLOSE}\r\n`, [status]));
  out.push(
    vector(
      g,
      'an empty line before the request (allowed)',
      `\r\nGET /l HTTP/1.1\r\n${H}${CLOSE}\r\n`,
      [200],
      [['GET', '/l', '']],
    ),
    vector(
      g,
      'bare LF line ends throughout',
      `GET /l HTTP/1.1\n${H.replace('\r\n', '\n')}Connection: close\n\n`,
      [400],
    ),
    vector(g, 'a bare LF after the request line', `GET /l HTTP/1.1\n${H}${CLOSE}\r\n`, [400]),
    vector(g, 'bare CR line ends', `GET /l HTTP/1.1\r${H.replace('\r\n', '\r')}Connection: close\r\r`, [400]),
    vector(g, 'HTTP/0.9: a request line with no version then an empty line: 505', 'GET /\r\n\r\n', [505]),
    vector(g, 'HTTP/0.9: a request line with no version: waits, 408', 'GET /\r\n', [408]),
    // Go splits the line at single spaces and refuses these (400); Node's parser and nginx accept them.
    vector(
      g,
      'two spaces after the method (Go: 400)',
      `GET  /l HTTP/1.1\r\n${H}${CLOSE}\r\n`,
      [200],
      [['GET', '/l', '']],
    ),
    vector(
      g,
      'two spaces before the version (Go: 400)',
      `GET /l  HTTP/1.1\r\n${H}${CLOSE}\r\n`,
      [200],
      [['GET', '/l', '']],
    ),
    vector(g, 'TLS ClientHello bytes on the plain port', '\x16\x03\x01\x00\x05hello', []),
    vector(g, 'SSH banner', 'SSH-2.0-OpenSSH_9.0\r\n', [400]),
    vector(g, 'random binary', '\x00\x01\x02\x03\xff\xfe\r\n\r\n', [400]),
    vector(g, 'only CRLFs: waits for a request, 408', '\r\n\r\n\r\n\r\n', [408]),
  );
  return out;
}

/** Request targets (origin-form oddities; absolute-form and paths have their own files). */
const TARGETS: readonly (readonly [string, string, number, string?])[] = [
  ['* with GET (Go: 400)', 'GET * HTTP/1.1', 400],
  ['an empty query', 'GET /t? HTTP/1.1', 200, '/t?'],
  ['a query with odd bytes', "GET /t?a=b&c=%zz&'<> HTTP/1.1", 200, "/t?a=b&c=%zz&'<>"],
  ['a fragment', 'GET /t#frag HTTP/1.1', 200, '/t#frag'],
  ['a raw space-free unicode byte (obs-text)', 'GET /t\xe9 HTTP/1.1', 400],
  ['a DEL byte', 'GET /t\x7f HTTP/1.1', 400],
  ['a control byte', 'GET /t\x01 HTTP/1.1', 400],
  ['a relative target', 'GET t HTTP/1.1', 400],
  ['a target starting with ?', 'GET ?a HTTP/1.1', 400],
  ['a scheme-relative target //', 'GET //app.test/t HTTP/1.1', 200, '/app.test/t'],
  ['an authority target with GET', 'GET app.test:80 HTTP/1.1', 400],
];

function targetVectors(): ClientVector[] {
  return TARGETS.map(([label, line, status, seen]) =>
    vector(
      'request line: targets',
      label,
      `${line}\r\n${H}${CLOSE}\r\n`,
      [status],
      seen === undefined ? [] : [['GET', seen, '']],
    ),
  );
}

export const REQUEST_LINE_VECTORS: readonly ClientVector[] = [
  ...methodVectors(),
  ...versionVectors(),
  ...lineVectors(),
  ...targetVectors(),
];
