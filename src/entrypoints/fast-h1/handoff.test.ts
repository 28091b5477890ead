import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { WebSocket } from 'ws';
import { HTTP1 } from '../http1-adapter.js';
import { FAST_HTTP1 } from './server.js';
import { type Fixture, rawExchange, startFixture, statusLines } from './test-fixture.js';

const run = promisify(execFile);

// The same set-up twice: with the fast path (the default) and with node's server alone.
let fast: Fixture;
let node: Fixture;
before(async () => {
  fast = await startFixture();
  node = await startFixture({ fast: false });
});
after(async () => {
  await fast.close();
  await node.close();
});

const MALFORMED: Record<string, string> = {
  'a header line without a colon': 'GET / HTTP/1.1\r\nHost: x\r\nBroken\r\n\r\n',
  'whitespace before the colon': 'GET / HTTP/1.1\r\nHost : x\r\n\r\n',
  'obs-fold': 'GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  2\r\n\r\n',
  'a NUL in a value': 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n',
  'a bare LF': 'GET / HTTP/1.1\nHost: x\n\n',
  'an unknown version': 'GET / HTTP/1.7\r\nHost: x\r\n\r\n',
  'HTTP/2.0 on an HTTP/1 connection': 'GET / HTTP/2.0\r\nHost: x\r\n\r\n',
  'a space in the target': 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n',
  'Content-Length and Transfer-Encoding':
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'two different Content-Lengths':
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
  'a gzip transfer coding': 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
  'two Host lines': 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
  'no Host on HTTP/1.1': 'GET / HTTP/1.1\r\n\r\n',
  'a head larger than maxHeaderBytes': `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(10_000)}\r\n\r\n`,
  'an unknown method': 'FETCH / HTTP/1.1\r\nHost: x\r\n\r\n',
  'an SSH banner (no blank line ever comes)': 'SSH-2.0-OpenSSH_9.2\r\n',
  'bare CR line ends (no CRLF CRLF ever comes)': 'GET / HTTP/1.1\rHost: x\r\r',
  CONNECT: 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
};

describe('HTTP/1 fast path: what it hands to node', () => {
  for (const [name, bytes] of Object.entries(MALFORMED)) {
    it(`answers ${name} as node's server alone does, forwarding nothing`, async () => {
      const seenFast = fast.backendRequests();
      const seenNode = node.backendRequests();
      const viaFast = statusLines(await rawExchange(fast.port, bytes));
      const viaNode = statusLines(await rawExchange(node.port, bytes));
      assert.ok(viaNode.length > 0, 'node answers it');
      assert.match(viaNode[0]!, /^HTTP\/1.1 [45]\d\d /);
      assert.deepEqual(viaFast, viaNode);
      assert.equal(fast.backendRequests() - seenFast, node.backendRequests() - seenNode);
    });
  }

  it('hands off a chunked POST after fast GETs on the same connection, then serves on', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const from = fast.protocols.length;
    const send = (method: string, path: string, body?: string) =>
      new Promise<string>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: fast.port, method, path, agent }, (res) => {
          let text = '';
          res.setEncoding('latin1');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        if (body !== undefined) req.write(body); // no length given: node sends it chunked
        req.end();
      });
    assert.equal(await send('GET', '/one'), 'ok GET /one');
    assert.equal(await send('POST', '/echo', 'chunked body'), 'POST chunked body');
    assert.equal(await send('GET', '/two'), 'ok GET /two');
    agent.destroy();
    assert.deepEqual(fast.protocols.slice(from), [FAST_HTTP1, HTTP1, HTTP1]);
  });

  it('answers a pipelined mix of fast and handed-off requests in order', async () => {
    const text = await rawExchange(
      fast.port,
      'GET /p1 HTTP/1.1\r\nHost: x\r\n\r\n' +
        'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello' +
        'GET /p3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    assert.deepEqual(text.match(/ok GET \/p\d|POST hello/g), ['ok GET /p1', 'POST hello', 'ok GET /p3']);
  });

  it('serves Expect: 100-continue through node (curl)', async () => {
    const { stdout } = await run('curl', [
      '-sS',
      '-H',
      'Expect: 100-continue',
      '--data-binary',
      'sent after 100',
      `http://127.0.0.1:${fast.port}/echo`,
    ]);
    assert.equal(stdout, 'POST sent after 100');
    assert.equal(fast.protocols.at(-1), HTTP1);
  });

  it('hands a WebSocket upgrade to node and the conversation works (ws)', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${fast.port}/ws`);
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('ping'));
      ws.on('message', (data) => resolve(String(data)));
      ws.on('error', reject);
    });
    ws.close();
    assert.equal(reply, 'ping');
  });

  it('a request smuggled behind a fast GET is never forwarded as its own request', async () => {
    const seen = fast.backendRequests();
    const text = await rawExchange(
      fast.port,
      'GET /s1 HTTP/1.1\r\nHost: x\r\n\r\n' +
        'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    const lines = statusLines(text);
    assert.match(lines[0]!, /^HTTP\/1.1 200 /);
    assert.match(lines[1]!, /^HTTP\/1.1 400 /);
    assert.equal(lines.length, 2);
    assert.equal(fast.backendRequests() - seen, 1, 'only the first GET reached the server');
  });
});
