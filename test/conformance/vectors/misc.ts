import { CLOSE, type ClientVector, H, vector } from './types.js';

/*
 * Expect, Upgrade and sizes: `Expect` forms (100-continue on HTTP/1.1 and 1.0, unknown expectations →
 * 417), upgrade requests a server answers with 200 (the connection must not become a tunnel: bytes
 * pipelined after the upgrade request never reach the server), and heads around the 1 MiB limit
 * (`http.maxHeaderBytes`, Traefik's default: 431 above it).
 */

const post = (version: string, expect: string, extra = '') =>
  `POST /e ${version}\r\n${H}Expect: ${expect}\r\nContent-Length: 5\r\n${extra}${CLOSE}\r\nhello`;

function expectVectors(): ClientVector[] {
  const g = 'Expect';
  const ok = [['POST', '/e', 'hello']] as const;
  return [
    vector(g, '100-continue with the body sent at once', post('HTTP/1.1', '100-continue'), [100, 200], ok),
    vector(g, '100-Continue (case)', post('HTTP/1.1', '100-Continue'), [100, 200], ok),
    vector(g, 'HTTP/1.0 with 100-continue: no 100', post('HTTP/1.0', '100-continue'), [200], ok),
    vector(g, 'an unknown expectation: 417', post('HTTP/1.1', 'teapot'), [417]),
    // Go looks for the 100-continue token in the list; Node does not send 100 for a list.
    vector(g, '100-continue, and more: served as Go does', post('HTTP/1.1', '100-continue, foo'), [200], ok),
    vector(g, 'an empty Expect: 417', post('HTTP/1.1', ''), [417]),
    vector(
      g,
      '100-continue on a GET without a body',
      `GET /e HTTP/1.1\r\n${H}Expect: 100-continue\r\n${CLOSE}\r\n`,
      [200],
      [['GET', '/e', '']],
    ),
    vector(
      g,
      '100-continue with a chunked body',
      `POST /e HTTP/1.1\r\n${H}Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n${CLOSE}\r\n5\r\nhello\r\n0\r\n\r\n`,
      [100, 200],
      ok,
    ),
  ];
}

const WS =
  'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
const H2C =
  'Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n';
const SMUGGLED = `GET /smuggled HTTP/1.1\r\n${H}${CLOSE}\r\n`;

function upgradeVectors(): ClientVector[] {
  const g = 'Upgrade';
  return [
    vector(
      g,
      'WebSocket upgrade answered 200: no tunnel, the pipelined request is not smuggled',
      `GET /ws HTTP/1.1\r\n${H}${WS}\r\n${SMUGGLED}`,
      [200],
      [['GET', '/ws', '']],
    ),
    vector(
      g,
      'h2c upgrade answered 200: no tunnel, the pipelined request is not smuggled',
      `GET /h2c HTTP/1.1\r\n${H}${H2C}\r\n${SMUGGLED}`,
      [200],
      [['GET', '/h2c', '']],
    ),
    vector(
      g,
      'h2c upgrade with Connection: close',
      `GET /h2c HTTP/1.1\r\n${H}Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nConnection: close, Upgrade, HTTP2-Settings\r\n\r\n`,
      [200],
      [['GET', '/h2c', '']],
    ),
    vector(
      g,
      'an Upgrade header without Connection: upgrade is a plain request',
      `GET /u HTTP/1.1\r\n${H}Upgrade: websocket\r\n${CLOSE}\r\n`,
      [200],
      [['GET', '/u', '']],
    ),
    vector(
      g,
      'Connection: upgrade without an Upgrade header is a plain request',
      `GET /u HTTP/1.1\r\n${H}Connection: Upgrade\r\n\r\n${SMUGGLED}`,
      [200, 200],
      [
        ['GET', '/u', ''],
        ['GET', '/smuggled', ''],
      ],
    ),
    vector(
      g,
      'a WebSocket upgrade on a POST with a body answered 200',
      `POST /ws HTTP/1.1\r\n${H}${WS}Content-Length: 5\r\n\r\nhello${SMUGGLED}`,
      [200],
      [['POST', '/ws', 'hello']],
    ),
  ];
}

const MIB = 1024 * 1024;

function sizeVectors(): ClientVector[] {
  const g = 'sizes';
  const ok = (path: string) => [['GET', path, '']] as const;
  return [
    vector(
      g,
      'an 8 KiB request line',
      `GET /${'a'.repeat(8192)} HTTP/1.1\r\n${H}${CLOSE}\r\n`,
      [200],
      ok(`/${'a'.repeat(8192)}`),
    ),
    vector(g, 'a 2 MiB request line: 431', `GET /${'a'.repeat(2 * MIB)} HTTP/1.1\r\n${H}${CLOSE}\r\n`, [431]),
    vector(
      g,
      'a 2 MiB header: 431',
      `GET /s HTTP/1.1\r\n${H}X-Big: ${'b'.repeat(2 * MIB)}\r\n${CLOSE}\r\n`,
      [431],
    ),
    vector(
      g,
      '20,000 headers (1.2 MiB): 431',
      `GET /s HTTP/1.1\r\n${H}${'X-Many: 0123456789012345678901234567890123456789012345678\r\n'.repeat(20000)}${CLOSE}\r\n`,
      [431],
    ),
    vector(
      g,
      'a 900 KiB header (under the limit)',
      `GET /s HTTP/1.1\r\n${H}X-Big: ${'b'.repeat(900 * 1024)}\r\n${CLOSE}\r\n`,
      [200],
      ok('/s'),
    ),
    vector(
      g,
      'a 2 MiB head without an end: 431',
      `GET /s HTTP/1.1\r\n${H}X-Big: ${'b'.repeat(2 * MIB)}`,
      [431],
    ),
    vector(
      g,
      'a 1 MiB Content-Length body',
      `POST /s HTTP/1.1\r\n${H}Content-Length: ${MIB}\r\n${CLOSE}\r\n${'x'.repeat(MIB)}`,
      [200],
      [['POST', '/s', 'x'.repeat(MIB)]],
    ),
    vector(
      g,
      'a 1 MiB chunk',
      `POST /s HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n${CLOSE}\r\n${MIB.toString(16)}\r\n${'x'.repeat(MIB)}\r\n0\r\n\r\n`,
      [200],
      [['POST', '/s', 'x'.repeat(MIB)]],
    ),
    vector(
      g,
      '4,096 one-byte chunks',
      `POST /s HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n${CLOSE}\r\n${'1\r\nx\r\n'.repeat(4096)}0\r\n\r\n`,
      [200],
      [['POST', '/s', 'x'.repeat(4096)]],
    ),
  ];
}

export const MISC_VECTORS: readonly ClientVector[] = [
  ...expectVectors(),
  ...upgradeVectors(),
  ...sizeVectors(),
];
