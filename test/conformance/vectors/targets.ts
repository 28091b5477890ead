import { CLOSE, type ClientVector, H, vector } from './types.js';

/*
 * Paths and absolute-form targets. Paths: dot segments, doubled slashes and their percent-encoded forms
 * against `sanitizePath` (on by default, as Traefik's), encoded slashes and backslashes, broken escapes
 * and invalid UTF-8 — the server must receive the cleaned or untouched path stated here, never a
 * traversal. Absolute form: served as the origin form for the URL's host, whatever Host says (Go).
 */

/** [raw path, status, the path the server receives] */
const PATHS: readonly (readonly [string, number, string?])[] = [
  ['/p/../a', 200, '/a'],
  ['/p/./a', 200, '/p/a'],
  ['/p//a', 200, '/p/a'],
  ['/../a', 200, '/a'],
  ['/../../../../etc/passwd', 200, '/etc/passwd'],
  ['/p/..', 200, '/'],
  ['/p/.', 200, '/p/'],
  ['/p/a/', 200, '/p/a/'],
  ['/p/%2e%2e/a', 200, '/a'],
  ['/p/%2E%2E/a', 200, '/a'],
  ['/p/.%2e/a', 200, '/a'],
  ['/p/%2e/a', 200, '/p/a'],
  ['/p/%2e%2e%2fa', 200, '/p/%2e%2e%2fa'],
  ['/p%2f..%2fa', 200, '/p%2f..%2fa'],
  ['/p/%2F', 200, '/p/%2F'],
  ['/p%5c..%5ca', 200, '/p%5c..%5ca'],
  ['/p\\..\\a', 200, '/p\\..\\a'],
  ['/p/..;/a', 200, '/p/..;/a'],
  ['/p;x=y/a', 200, '/p;x=y/a'],
  ['/p/%00', 200, '/p/%00'],
  ['/p/%0d%0aX-Injected:%20y', 200, '/p/%0d%0aX-Injected:%20y'],
  ['/p/%41', 200, '/p/%41'],
  ['/p/%c3%a9', 200, '/p/%c3%a9'],
  ['/p/%c0%af', 200, '/p/%c0%af'],
  ['/p/%ff%fe', 200, '/p/%ff%fe'],
  ['/p/%ed%a0%80', 200, '/p/%ed%a0%80'],
  ['/p/%', 400],
  ['/p/%2', 400],
  ['/p/%zz', 400],
  ['/p/%%41', 400],
  ['/p/%u0041', 400],
  ['/p?q=%zz', 200, '/p?q=%zz'],
  ['/p/../a?x=/../y', 200, '/a?x=/../y'],
  ['//a', 200, '/a'],
  ['///a', 200, '/a'],
  [`/p/${'a/'.repeat(2000)}`, 200, `/p/${'a/'.repeat(2000)}`],
  [`/p/${'../'.repeat(200)}a`, 200, '/a'],
];

function pathVectors(): ClientVector[] {
  return PATHS.map(([path, status, seen]) =>
    vector(
      'targets: paths',
      `${path.length > 50 ? `${path.slice(0, 47)}...` : path}${seen === undefined ? ': refused' : ` -> ${seen.length > 30 ? `${seen.slice(0, 27)}...` : seen}`}`,
      `GET ${path} HTTP/1.1\r\n${H}${CLOSE}\r\n`,
      [status],
      seen === undefined ? [] : [['GET', seen, '']],
    ),
  );
}

/** [absolute target, status, path received] — the Host header says app.test or another name. */
const ABSOLUTE: readonly (readonly [string, number, string?])[] = [
  ['http://app.test/x', 200, '/x'],
  ['http://other.test/x', 200, '/x'],
  ['https://app.test/x', 200, '/x'],
  ['HTTP://app.test/x', 200, '/x'],
  ['http://app.test', 200, '/'],
  ['http://app.test?q=1', 200, '/?q=1'],
  ['http://app.test:8080/x?q=1', 200, '/x?q=1'],
  ['http://user:pw@app.test/x', 200, '/x'],
  ['http://app.test/../x', 200, '/x'],
  ['http://[::1]/x', 200, '/x'],
  ['ftp://app.test/x', 200, '/x'],
  ['http://app.test:port/x', 400],
  ['http://app test/x', 400],
  ['http://app.test%2f/x', 400],
  ['http:/x', 400],
  ['http:x', 400],
  ['http://', 200, '/'],
];

function absoluteVectors(): ClientVector[] {
  const out: ClientVector[] = [];
  for (const [target, status, seen] of ABSOLUTE) {
    for (const host of ['app.test', 'elsewhere.test']) {
      out.push(
        vector(
          'targets: absolute form',
          `${target} with Host ${host}${seen === undefined ? ': refused' : ` -> ${seen}`}`,
          `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n${CLOSE}\r\n`,
          [status],
          seen === undefined ? [] : [['GET', seen, '']],
        ),
      );
    }
  }
  return out;
}

export const TARGET_VECTORS: readonly ClientVector[] = [...pathVectors(), ...absoluteVectors()];
