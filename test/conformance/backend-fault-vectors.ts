/**
 * Backend faults (issue 18): what a misbehaving HTTP/1 server sends, and what the client must get.
 * `backend-faults.test.ts` runs each vector through the CLI against `raw-backend.ts`.
 *
 * - `reply`: the exact bytes, written at once after the request head arrived. `script` instead gets
 *   the socket and a `wait` that resolves after `ms` unless the connection closed first (bounded trickles).
 * - `close`: `end` (FIN after the bytes), `reset` (RST), or nothing (the server keeps the connection open:
 *   then the proxy must not reuse it).
 * - `expect`: a status (with `body` when it matters), or `truncated` (the client sees the response start
 *   and then the connection aborted).
 * - `reusable`: a clean response after which the connection may carry the next request.
 * - `timed`: the route whose transport has `responseHeaderTimeout: 1s` (the others have none, Traefik's
 *   default).
 */
import type net from 'node:net';

export interface FaultVector {
  readonly name: string;
  readonly reply?: string;
  readonly script?: (socket: net.Socket, wait: (ms: number) => Promise<boolean>) => Promise<void>;
  readonly close?: 'end' | 'reset';
  readonly expect: number | 'truncated';
  readonly body?: string;
  readonly timed?: boolean;
  /** A valid, complete response: the proxy may reuse the connection (every other vector: it must not). */
  readonly reusable?: boolean;
}

const OK_TAIL = 'Content-Length: 2\r\n\r\nok';
/** A response whose only oddity is `line` among its headers. */
const withHeader = (line: string) => `HTTP/1.1 200 OK\r\n${line}\r\n${OK_TAIL}`;

export const BACKEND_FAULTS: readonly FaultVector[] = [
  // Header lines nginx and HAProxy refuse (502), which a lenient client could read differently.
  { name: 'bare CR in a header value', reply: withHeader('X-A: a\rSet-Cookie: injected=1'), expect: 502 },
  { name: 'space before the colon', reply: withHeader('X-A : b'), expect: 502 },
  { name: 'space inside a header name', reply: withHeader('X A: b'), expect: 502 },
  { name: 'header line without a colon', reply: withHeader('XA-no-colon'), expect: 502 },
  { name: 'NUL in a header value', reply: withHeader('X-A: a\0b'), expect: 502 },
  { name: 'DEL in a header value', reply: withHeader('X-A: a\x7fb'), expect: 502 },
  { name: 'empty header name', reply: withHeader(': b'), expect: 502 },
  // Framing.
  {
    name: 'Content-Length and Transfer-Encoding',
    reply: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
    expect: 502,
  },
  {
    name: 'two different Content-Lengths',
    reply: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!',
    expect: 502,
  },
  { name: 'a Content-Length list that differs', reply: withHeader('Content-Length: 2, 3'), expect: 502 },
  { name: 'negative Content-Length', reply: 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', expect: 502 },
  {
    name: 'non-numeric Content-Length',
    reply: 'HTTP/1.1 200 OK\r\nContent-Length: 2x\r\n\r\nok',
    expect: 502,
  },
  {
    name: 'identical Content-Lengths (accepted, as Go)',
    reply: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok',
    expect: 200,
    body: 'ok',
    reusable: true,
  },
  // Status lines.
  { name: 'four-digit status', reply: `HTTP/1.1 2000 OK\r\n${OK_TAIL}`, expect: 502 },
  { name: 'not HTTP at all', reply: 'SSH-2.0-OpenSSH_9.2\r\n\r\n', expect: 502 },
  { name: 'HTTP/2 status line on HTTP/1', reply: `HTTP/2 200\r\n${OK_TAIL}`, expect: 502 },
  {
    name: 'unexpected 101 Switching Protocols',
    reply: 'HTTP/1.1 101 Switching Protocols\r\n\r\n',
    expect: 502,
  },
  // Size of the head (limit: 32 KiB, docs/reliability.md).
  { name: 'one 64 KiB header', reply: withHeader(`X-Big: ${'a'.repeat(64 * 1024)}`), expect: 502 },
  {
    name: 'a 16 KiB header (under the limit)',
    reply: withHeader(`X-Big: ${'a'.repeat(16 * 1024)}`),
    expect: 200,
    body: 'ok',
    reusable: true,
  },
  // Chunked bodies.
  {
    name: 'bad first chunk size',
    reply: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n',
    expect: 502,
  },
  {
    name: 'chunk size overflow',
    reply: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\nok\r\n',
    expect: 502,
  },
  {
    name: 'bad chunk size after a first chunk',
    reply: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\nzz\r\n',
    expect: 'truncated',
  },
  // Early closes and resets.
  {
    name: 'close right after a head with Content-Length',
    reply: 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n',
    close: 'end',
    expect: 502,
  },
  {
    name: 'close right after a chunked head',
    reply: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
    close: 'end',
    expect: 502,
  },
  { name: 'close mid-head', reply: 'HTTP/1.1 200 OK\r\nX-A: ', close: 'end', expect: 502 },
  { name: 'reset before any byte', reply: '', close: 'reset', expect: 502 },
  {
    name: 'Content-Length longer than the body, then close',
    reply: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello',
    close: 'end',
    expect: 'truncated',
  },
  {
    name: 'reset mid-body',
    script: async (socket, wait) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello');
      if (await wait(200)) socket.resetAndDestroy();
    },
    expect: 'truncated',
  },
  {
    name: 'Content-Length shorter than the body (the rest is dropped)',
    reply: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA',
    expect: 200,
    body: 'ok',
  },
  {
    name: 'body read to close (HTTP/1.0, no length)',
    reply: 'HTTP/1.0 200 OK\r\n\r\nuntil close',
    close: 'end',
    expect: 200,
    body: 'until close',
  },
  // Informational responses (at most 5, as Go).
  {
    name: 'two 100 Continue then the answer',
    reply: `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n${OK_TAIL}`,
    expect: 200,
    body: 'ok',
    reusable: true,
  },
  {
    name: 'a flood of 100 Continue',
    script: async (socket, wait) => {
      for (let i = 0; i < 10_000 && !socket.destroyed; i++) {
        if (!socket.write('HTTP/1.1 100 Continue\r\n\r\n') && !(await wait(1))) return;
      }
    },
    expect: 502,
  },
  // The response-header timeout is a deadline for the whole head, not an idle timer.
  { name: 'no answer at all (responseHeaderTimeout 1s)', reply: '', timed: true, expect: 504 },
  {
    name: 'a head trickled one byte every 100 ms (responseHeaderTimeout 1s)',
    script: async (socket, wait) => {
      const head = `HTTP/1.1 200 OK\r\nX-Slow: ${'s'.repeat(200)}\r\n${OK_TAIL}`;
      for (const c of head) {
        socket.write(c);
        if (!(await wait(100))) return;
      }
    },
    timed: true,
    expect: 504,
  },
  {
    name: '100 Continue every 300 ms, then the answer (responseHeaderTimeout 1s)',
    script: async (socket, wait) => {
      for (let i = 0; i < 5; i++) {
        socket.write('HTTP/1.1 100 Continue\r\n\r\n');
        if (!(await wait(300))) return;
      }
      socket.write(`HTTP/1.1 200 OK\r\n${OK_TAIL}`);
    },
    timed: true,
    expect: 504,
  },
  // Lenient where Go is: bare LF line ends, obs-fold.
  {
    name: 'bare LF line ends',
    reply: 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok',
    expect: 200,
    body: 'ok',
    reusable: true,
  },
  { name: 'folded header line', reply: withHeader('X-A: a\r\n  b'), expect: 200, body: 'ok', reusable: true },
];
